"""Stripe on PostgreSQL as Fivetran lands it: the tables in a schema of their own, not files (issue 27).

Runs inside `make test-postgres` (marker `postgres`), in two databases of its own on the same server: the small
extract's world as Stripe tables, loaded into the schema `stripe` (RWH_STRIPE_SCHEMA) beside the contract's
raw schemas for the other systems, and its contract-format twin. Both go through the loader, the gate and the
published build; their marts are equal row for row.
"""

from __future__ import annotations

import pytest

from conftest import own_pg_database, stripe_and_twin
from renewal_warehouse.devtools.compare import compare_postgres, postgres_rows
from renewal_warehouse.pipeline import build as rb
from renewal_warehouse.pipeline.gate import run_gate
from renewal_warehouse.pipeline.loader import load_postgres
from renewal_warehouse.pipeline.vendors.stripe import STRIPE

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def extracts(small_raw, tmp_path_factory) -> dict:
    return stripe_and_twin(small_raw, tmp_path_factory.mktemp("stripe_pg"))


def _load_gate_build(raw, settings, monkeypatch, formats: str):
    monkeypatch.setenv("RWH_PG_DATABASE", settings.database)
    monkeypatch.setenv("RWH_SOURCE_FORMATS", formats)
    said: list[str] = []
    counts = load_postgres(raw, settings, progress=said.append)
    report = run_gate("postgres", pg=settings, manifest_path=raw / "_manifest.json", progress=lambda _m: None)
    assert report.ok, report.render()
    result = rb.build_postgres(settings, [], quiet=True, progress=lambda _m: None)
    assert result.ok, result.problems
    return counts, said


def test_a_fivetran_shaped_stripe_schema_builds_the_same_marts_as_its_twin(extracts, monkeypatch):
    monkeypatch.setenv("RWH_DEMO", "true")
    with own_pg_database("stripe") as stripe_db, own_pg_database("stripe_twin") as twin_db:
        _load_gate_build(extracts["twin"], twin_db, monkeypatch, "")
        counts, said = _load_gate_build(extracts["stripe"], stripe_db, monkeypatch, "billing=stripe")

        # the Stripe tables are tables of the schema `stripe`, as the connector lands them; billing's only
        # contract-format table is the FX rates
        landed = {t for (t,) in postgres_rows(stripe_db, "select table_name from information_schema.tables "
                                                         "where table_schema = 'stripe'")}
        assert landed == {t.name for t in STRIPE.tables}
        assert {t for t in counts if t.startswith("billing.")} == {"billing.fx_rates"}
        assert any(s.startswith("loaded stripe.subscription_history into stripe:") for s in said)

        compared = compare_postgres(twin_db, stripe_db, ["marts"])
        assert len(compared) >= 15
        assert [c.line() for c in compared if not c.same] == []
        ledger = postgres_rows(stripe_db, "select vendor_table, count(*) from staging.adapt_stripe__row_ledger "
                                          "group by 1")
        assert dict(ledger) == {t.split(".")[1]: n for t, n in counts.items() if t.startswith("stripe.")}
