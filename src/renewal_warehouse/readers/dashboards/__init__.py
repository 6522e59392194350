"""The dashboards of docs/metrics.md section 9 as static HTML pages (`rwh dashboards`, issue 13).

Each page is a list of panels. A panel reads one mart (or reference table) with a plain SELECT of its
columns, filtered and ordered, never computed: every number a page shows is a value of the warehouse.
The rows a panel read are embedded in the page as JSON (``<script type="application/json"
class="rwh-panel">``) with the mart and the key columns they came from, so a test can look each row up in
the mart again. Charts are drawn by Plotly (plotly.js inlined in every page: it opens offline).

The modules: ``pages`` (the page and panel definitions), ``fetch`` (reading a DuckDB or PostgreSQL
warehouse), ``render`` (the HTML) and ``check`` (the number check: each embedded row looked up again).
"""

from renewal_warehouse.readers.dashboards.check import differences, embedded_panels
from renewal_warehouse.readers.dashboards.fetch import (
    Fetch,
    duckdb_fetch,
    postgres_fetch,
    published_build,
    published_marts,
)
from renewal_warehouse.readers.dashboards.pages import PAGES, Page, Panel, all_pages, csm_page
from renewal_warehouse.readers.dashboards.render import main_progress, render, render_page, show

__all__ = ["PAGES", "Fetch", "Page", "Panel", "all_pages", "csm_page", "differences", "duckdb_fetch",
           "embedded_panels", "main_progress", "postgres_fetch", "published_build", "published_marts", "render",
           "render_page", "show"]
