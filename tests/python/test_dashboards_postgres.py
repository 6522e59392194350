"""The dashboards rendered from the warehouse on PostgreSQL (the server BI tools read): every number is a
value of its marts there, and the pages show the same numbers as the pages rendered from DuckDB.

Runs inside `make test-postgres` (marker `postgres`) against the warehouse that target published from the
test extract; RWH_TEST_DUCKDB names the DuckDB warehouse `make test-duckdb` published from the same extract.
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from renewal_warehouse.pipeline.loader import PostgresSettings
from renewal_warehouse.readers import dashboards

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> dict[str, dict[str, list[dict]]]:
    """{engine: {page: embedded panels}} for PostgreSQL and DuckDB."""
    duck = Path(os.environ.get("RWH_TEST_DUCKDB", "target/test-warehouse.duckdb"))
    assert duck.is_file(), f"no DuckDB test warehouse at {duck}: make test-duckdb publishes it"
    pages = {}
    for engine, (fetch, close) in (("postgres", dashboards.postgres_fetch(PostgresSettings.from_env())),
                                   ("duckdb", dashboards.duckdb_fetch(duck))):
        out = tmp_path_factory.mktemp(engine)
        try:
            written = dashboards.render(fetch, out, engine)
            if engine == "postgres":
                differences = [d for page in written[1:]
                               for d in dashboards.differences(dashboards.embedded_panels(page.read_text()), fetch)]
                assert differences == [], differences[:10]
        finally:
            close()
        pages[engine] = {page.stem: dashboards.embedded_panels(page.read_text()) for page in written[1:]}
        assert "build " in written[0].read_text() and "without a record" not in written[0].read_text()
    return pages


def _value(v):
    """Numbers compared as decimals (PostgreSQL and DuckDB may print a decimal with different zeros)."""
    if isinstance(v, bool) or v is None:
        return v
    try:
        return Decimal(str(v))
    except InvalidOperation:
        return v


def _same_rows(rows: list[list], other: list[list]) -> bool:
    """Equal row for row; numbers within a millionth, as the marts themselves are compared across engines
    (compare.compare_warehouses: an amount summed from converted lines may differ in its sixth decimal)."""
    if len(rows) != len(other) or any(len(a) != len(b) for a, b in zip(rows, other, strict=True)):
        return False
    for a, b in zip((v for r in rows for v in r), (v for r in other for v in r), strict=True):
        a, b = _value(a), _value(b)
        if isinstance(a, Decimal) and isinstance(b, Decimal):
            if abs(a - b) > Decimal("0.000001000000001"):
                return False
        elif a != b:
            return False
    return True


def test_every_number_on_a_postgres_page_is_a_mart_value_and_equals_duckdb(both):
    """The fixture checks each PostgreSQL page against PostgreSQL's marts; here the same pages from the two
    engines carry the same rows, in the same order, value for value (numbers to a millionth)."""
    assert set(both["postgres"]) == set(both["duckdb"]) and len(both["postgres"]) > 5
    rows = 0
    for page, panels in both["postgres"].items():
        duck = {p["panel"]: p for p in both["duckdb"][page]}
        for panel in panels:
            other = duck[panel["panel"]]
            assert panel["columns"] == other["columns"], (page, panel["panel"])
            assert _same_rows(panel["rows"], other["rows"]), (page, panel["panel"], panel["rows"][:3],
                                                              other["rows"][:3])
            rows += len(panel["rows"])
    assert rows > 300


def test_the_row_comparison_sees_more_than_a_millionth():
    assert _same_rows([["a", "1.000001", 2]], [["a", "1.000002", 2]])
    assert not _same_rows([["a", "1.000001", 2]], [["a", "1.000003", 2]])
    assert not _same_rows([["a", "1.0", 2]], [["b", "1.0", 2]])
    assert not _same_rows([["a", "1.0"]], [["a", "1.0"], ["a", "1.0"]])
