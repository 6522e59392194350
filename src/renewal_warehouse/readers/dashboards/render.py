"""Drawing the pages as static HTML: each panel's rows as tiles, a Plotly chart or a table, with the rows
embedded as JSON (what check.py reads again); the index page; the headline trends in words."""

from __future__ import annotations

import html
import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from renewal_warehouse.readers.dashboards.fetch import Fetch, published_build, published_marts
from renewal_warehouse.readers.dashboards.pages import Page, Panel, all_pages


# ------------------------------------------------------------------------------------------- values
def _json_value(value):
    """A value as the page embeds it: decimals as exact strings, dates as ISO strings."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _number(value) -> float | None:
    return None if value is None else float(value)


def show(value, kind: str | None) -> str:
    """A value as a person reads it (the page shows it; the embedded JSON keeps it exact)."""
    if value is None:
        return "n/a"
    if kind == "pct":
        return f"{float(value) * 100:.1f} %"
    if kind == "usd":
        return f"${float(value):,.0f}"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "dec":
        return f"{float(value):.3f}"
    return html.escape(str(value))


# ---------------------------------------------------------------------------------------- rendering
def _plotly_js() -> str:
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()


def _figure(panel: Panel, columns: list[str], rows: list[tuple], bands: list[tuple]) -> dict:
    index = {c: i for i, c in enumerate(columns)}
    drawn = list(reversed(rows)) if panel.chronological else rows
    xs = [_json_value(r[index[panel.x]]) for r in drawn]
    kinds = {panel.fmt.get(y) for y in panel.y}
    percent = kinds == {"pct"}
    traces = []
    if panel.series:
        groups = list(dict.fromkeys(r[index[panel.series]] for r in drawn))
        groups.sort(key=lambda g: list(panel.colours).index(g) if g in panel.colours else len(panel.colours))
        lines = [(y, g, [r for r in drawn if r[index[panel.series]] == g]) for y in panel.y for g in groups]
    else:
        lines = [(y, None, drawn) for y in panel.y]
    for y, group, subset in lines:
        name = panel.labels.get(y, y) if group is None else (
            panel.labels.get(str(group), str(group)) if len(panel.y) == 1
            else f"{panel.labels.get(y, y)}, {panel.labels.get(str(group), group)}")
        trace = {"x": [_json_value(r[index[panel.x]]) for r in subset] if group is not None else xs,
                 "y": [_number(r[index[y]]) for r in subset], "name": name}
        colour = panel.colours.get(group if group is not None else y)
        if colour:
            trace["marker"] = {"color": colour}
            trace["line"] = {"color": colour}
        trace.update({"type": "scatter", "mode": "lines+markers"} if panel.chart == "line" else {"type": "bar"})
        traces.append(trace)
    shapes = []
    colours = {1: "rgba(46,125,50,0.10)", 2: "rgba(102,187,106,0.10)", 3: "rgba(255,235,59,0.12)",
               4: "rgba(255,152,0,0.12)", 5: "rgba(229,57,53,0.10)"}
    for _metric, band, low, high, order in bands:
        shapes.append({"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
                       "y0": low if low is not None else 0, "y1": high if high is not None else 2,
                       "fillcolor": colours.get(order, "rgba(0,0,0,0.05)"), "line": {"width": 0},
                       "layer": "below", "name": band})
    layout = {"margin": {"l": 60, "r": 20, "t": 10, "b": 50}, "height": 300,
              "barmode": "stack" if panel.stacked else "group",
              "legend": {"orientation": "h"}, "shapes": shapes,
              "legend_traceorder": "normal",
              "xaxis": {"type": "category"},
              "yaxis": {"tickformat": ".0%" if percent else "$,.0f" if kinds == {"usd"} else
                        ".2f" if kinds == {"dec"} else ",.0f"}}
    if percent and panel.chart == "line" and rows:
        values = [v for t in traces for v in t["y"] if v is not None]
        if values:
            layout["yaxis"]["range"] = [min(values) - 0.05, max(values) + 0.05]
    return {"data": traces, "layout": layout}


def _panel_html(panel: Panel, columns: list[str], rows: list[tuple], bands: list[tuple]) -> str:
    index = {c: i for i, c in enumerate(columns)}
    spec = {"panel": panel.id, "relation": panel.relation, "key": list(panel.key), "columns": columns,
            "rows": [[_json_value(v) for v in r] for r in rows]}
    if panel.group_by:
        spec.update({"where": panel.where, "group_by": [list(g) for g in panel.group_by],
                     "measures": [list(m) for m in panel.measures]})
    embedded = json.dumps(spec).replace("</", "<\\/")  # still JSON, and no "</script>" inside the script
    data = f'<script type="application/json" class="rwh-panel" data-panel="{panel.id}">{embedded}</script>'
    title = f"<h2>{html.escape(panel.title)}</h2>"
    if not rows:
        return f'<section class="panel">{title}<p class="empty">No rows in {panel.relation}.</p>{data}</section>'
    if panel.chart == "tiles":
        row = rows[0]
        period = f'<p class="period">{html.escape(str(row[index["period_label"]]))}</p>' \
            if "period_label" in index else ""
        tiles = "".join(f'<div class="tile"><div class="value">{show(row[index[c]], panel.fmt.get(c))}</div>'
                        f'<div class="label">{html.escape(panel.labels.get(c, c))}</div></div>'
                        for c in panel.columns if c in panel.fmt)
        return f'<section class="panel">{title}{period}<div class="tiles">{tiles}</div>{data}</section>'
    if panel.chart in ("line", "bar"):
        figure = json.dumps(_figure(panel, columns, rows, bands))
        return (f'<section class="panel">{title}<div class="chart" id="chart-{panel.id}"></div>{data}'
                f"<script>Plotly.newPlot('chart-{panel.id}', ...(f => [f.data, f.layout])({figure}), "
                "{displayModeBar: false, staticPlot: false});</script></section>")
    head = "".join(f"<th>{html.escape(panel.labels.get(c, c))}</th>" for c in panel.columns)
    body = "".join("<tr>" + "".join(f"<td>{show(r[index[c]], panel.fmt.get(c))}</td>" for c in panel.columns)
                   + "</tr>" for r in rows)
    return f'<section class="panel">{title}<table><tr>{head}</tr>{body}</table>{data}</section>'


STYLE = """
body { font-family: -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; margin: 0; color: #1f2933;
       background: #f5f7fa; }
header { background: #243b53; color: white; padding: 16px 32px; }
header h1 { margin: 0; font-size: 24px; } header p { margin: 4px 0 0; opacity: .85; font-size: 13px; }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; padding: 16px 32px;
       align-items: start; }
.panel { background: white; border-radius: 6px; padding: 12px 16px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
.panel h2 { font-size: 15px; margin: 0 0 8px; } .period { margin: 0 0 8px; color: #627d98; font-size: 12px; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; } .tile { min-width: 120px; }
.tile .value { font-size: 22px; font-weight: 600; } .tile .label { font-size: 12px; color: #627d98; }
table { border-collapse: collapse; font-size: 12px; width: 100%; } td, th { padding: 3px 6px;
       border-bottom: 1px solid #e4e7eb; text-align: left; }
.trends li { margin-bottom: 4px; } a { color: #0b69a3; }
"""


def _page_html(title: str, subtitle: str, body: str, plotly_js: str | None) -> str:
    script = f"<script>{plotly_js}</script>" if plotly_js else ""
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style>{script}</head><body><header><h1>{html.escape(title)}</h1>"
            f"<p>{html.escape(subtitle)}</p></header><main>{body}</main></body></html>")


def headline_trends(results: dict[str, tuple[list[str], list[tuple]]]) -> list[str]:
    """At most three trends in words, each comparing the latest two periods of a trend panel."""
    said = []
    for panel_id, column, label in (("nrr_trend", "net_revenue_retention_rate", "Net revenue retention"),
                                    ("renewal_trend", "logo_renewal_rate", "The logo renewal rate"),
                                    ("save_trend", "saved_arr", "Saved ARR")):
        columns, rows = results.get(panel_id, ([], []))
        if len(rows) < 2:
            continue
        i, p = columns.index(column), columns.index("period_label")
        now, before = rows[0], rows[1]
        if now[i] is None or before[i] is None:
            continue
        kind = "usd" if column.endswith("_arr") else "pct"
        verb = "rose" if now[i] > before[i] else "fell" if now[i] < before[i] else "held"
        said.append(f"{label} {verb} from {show(before[i], kind)} in {before[p]} to {show(now[i], kind)} in "
                    f"{now[p]}.")
    return said[:3]


def render_page(page: Page, fetch: Fetch, plotly_js: str | None, subtitle: str) -> str:
    results: dict[str, tuple[list[str], list[tuple]]] = {}
    sections = []
    for panel in page.panels:
        columns, rows = fetch(panel.sql())
        results[panel.id] = (columns, rows)
        bands = []
        if panel.bands:
            _, bands = fetch("select metric, band, lower_bound, upper_bound, sort_order from "
                             f"reference.ref_benchmark_bands where metric = '{panel.bands}' order by sort_order")
        sections.append(_panel_html(panel, columns, rows, bands))
    trends = headline_trends(results)
    if trends:
        items = "".join(f"<li>{html.escape(t)}</li>" for t in trends)
        sections.insert(0, f'<section class="panel"><h2>Headline trends</h2><ul class="trends">{items}</ul></section>')
    return _page_html(f"{page.title} dashboard", subtitle, "".join(sections), plotly_js)


def render(fetch: Fetch, out: Path, source: str, progress: Callable[[str], None] = lambda m: None,
           pages: tuple[Page, ...] | None = None) -> list[Path]:
    """Every page (all_pages by default) and the index into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    marts = published_marts(fetch)
    if not marts:
        raise ValueError("the warehouse has no marts: build and publish it first (make build, rwh build)")
    pages = pages or all_pages(fetch)
    # A warehouse built from some source systems only (RWH_SOURCE_SYSTEMS) lacks the marts of the others:
    # the pages that need them are not rendered, and the index says which marts they need.
    missing = {p.name: sorted(p.relations() - marts) for p in pages if p.relations() - marts}
    for name, needs in missing.items():
        progress(f"{name} not rendered: the warehouse has no {', '.join(needs)} (docs/source-systems.md)")
    skipped = [p for p in pages if p.name in missing]
    pages = tuple(p for p in pages if p.name not in missing)
    as_of = None
    if "marts.account_health" in marts:
        _, as_of_rows = fetch("select max(snapshot_date) from marts.account_health")
        as_of = as_of_rows[0][0] if as_of_rows else None
    rendered_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    build = published_build(fetch)
    built = (f"build {build['build_id']} ({build['build_kind']}, published {build['published_at']} UTC)" if build
             else "a build without a record (published before rwh wrote meta.published_build)")
    subtitle = f"As of {as_of}; {built}; from {source}; rendered {rendered_at}"
    plotly_js = _plotly_js()
    written = []
    for n, page in enumerate(pages, 1):
        progress(f"[{'#' * n}{'-' * (len(pages) - n)}] {n}/{len(pages)} {page.name}")
        path = out / f"{page.name}.html"
        path.write_text(render_page(page, fetch, plotly_js, f"{page.cadence.capitalize()} · {subtitle}"))
        written.append(path)
    team = [p for p in pages if not p.name.startswith("csm_")]
    links = "".join(f'<section class="panel"><h2><a href="{p.name}.html">{html.escape(p.title)}</a></h2>'
                    f"<p>{html.escape(p.description)}</p></section>" for p in team)
    csms = [p for p in pages if p.name.startswith("csm_")]
    if csms:
        links += ('<section class="panel"><h2>CSM: my book</h2><p>' + " · ".join(
            f'<a href="{p.name}.html">{html.escape(p.name[4:])}</a>' for p in csms) + "</p></section>")
    for p in skipped:
        links += (f'<section class="panel"><h2>{html.escape(p.title)}: not rendered</h2><p>This warehouse has no '
                  f"{html.escape(', '.join(missing[p.name]))}: it was built without the source systems they need "
                  "(RWH_SOURCE_SYSTEMS, docs/source-systems.md).</p></section>")
    index = out / "index.html"
    index.write_text(_page_html("Renewal warehouse dashboards", subtitle, links, None))
    return [index, *written]


def main_progress(message: str) -> None:
    print(f"rwh dashboards: {message}", file=sys.stderr, flush=True)
