"""Stripe, Salesforce, Zendesk and Segment on PostgreSQL as their loaders land them: the tables in a schema per
vendor, not files (issue 27).

Runs inside `make test-postgres` (marker `postgres`), in two databases of its own on the same server: the small
extract's world with its billing as Stripe tables, its CRM as Salesforce tables, its support as Zendesk tables and
its usage as Segment events, loaded into the schemas `stripe`, `salesforce`, `zendesk` and `segment`
(RWH_<VENDOR>_SCHEMA) beside the contract's raw schemas for the rest, and its contract-format twin. Both go through
the loader, the gate and the published build; their marts and staged CRM tables, tickets and usage are equal row
for row, and every vendor row is in its ledger. The same with the CRM as HubSpot tables in the schema `hubspot`.
"""

from __future__ import annotations

import pytest

from conftest import VENDOR_FORMATS, hubspot_and_twin, own_pg_database, vendors_and_twin
from renewal_warehouse.devtools.compare import compare_postgres, postgres_rows
from renewal_warehouse.pipeline import build as rb
from renewal_warehouse.pipeline.gate import run_gate
from renewal_warehouse.pipeline.loader import load_postgres
from renewal_warehouse.pipeline.vendors.hubspot import HUBSPOT
from renewal_warehouse.pipeline.vendors.salesforce import SALESFORCE
from renewal_warehouse.pipeline.vendors.segment import SEGMENT
from renewal_warehouse.pipeline.vendors.stripe import STRIPE
from renewal_warehouse.pipeline.vendors.zendesk import ZENDESK

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def extracts(small_raw, tmp_path_factory) -> dict:
    return vendors_and_twin(small_raw, tmp_path_factory.mktemp("vendors_pg"))


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


def test_fivetran_shaped_vendor_schemas_build_the_same_marts_as_their_twin(extracts, monkeypatch):
    monkeypatch.setenv("RWH_DEMO", "true")
    with own_pg_database("vendors") as vendors_db, own_pg_database("vendors_twin") as twin_db:
        _load_gate_build(extracts["twin"], twin_db, monkeypatch, "")
        counts, said = _load_gate_build(extracts["vendors"], vendors_db, monkeypatch, VENDOR_FORMATS)

        # each vendor's tables are tables of its own schema, as the connector lands them; billing's only
        # contract-format table is the FX rates, the CRM's are the five Salesforce has no object for
        for vendor in (STRIPE, SALESFORCE, ZENDESK, SEGMENT):
            landed = {t for (t,) in postgres_rows(vendors_db, "select table_name from information_schema.tables "
                                                              f"where table_schema = '{vendor.name}'")}
            assert landed == {t.name for t in vendor.tables}, vendor.name
        assert {t for t in counts if t.startswith("billing.")} == {"billing.fx_rates"}
        assert {t for t in counts if t.startswith("crm.")} == {
            "crm.activities", "crm.sponsor_changes", "crm.value_reviews", "crm.renewal_targets",
            "crm.forecast_submissions"}
        assert {t for t in counts if t.startswith("support.")} == set()
        assert {t for t in counts if t.startswith("product.")} == {"product.licensed_seats"}
        assert any(s.startswith("loaded stripe.subscription_history into stripe:") for s in said)
        assert any(s.startswith("loaded salesforce.opportunity_history into salesforce:") for s in said)

        compared = compare_postgres(twin_db, vendors_db, ["marts"])
        assert len(compared) >= 15
        assert [c.line() for c in compared if not c.same] == []
        # and below the marts, the staged CRM tables (ownership periods and their ids), tickets and usage, as on DuckDB
        staged = [c for c in compare_postgres(twin_db, vendors_db, ["staging"])
                  if c.line().startswith(("staging.stg_crm__", "staging.stg_support__tickets",
                                          "staging.stg_product__usage_daily"))]
        assert len(staged) == 12
        assert [c.line() for c in staged if not c.same] == []
        for vendor in (STRIPE, SALESFORCE, ZENDESK, SEGMENT):
            ledger = postgres_rows(vendors_db, "select vendor_table, count(*) from "
                                               f"staging.adapt_{vendor.name}__row_ledger group by 1")
            assert dict(ledger) == {t.split(".")[1]: n for t, n in counts.items()
                                    if t.startswith(f"{vendor.name}.")}, vendor.name


def test_a_fivetran_shaped_hubspot_schema_builds_the_same_marts_as_its_twin(small_raw, tmp_path, monkeypatch):
    monkeypatch.setenv("RWH_DEMO", "true")
    extracts = hubspot_and_twin(small_raw, tmp_path)
    with own_pg_database("hubspot") as hubspot_db, own_pg_database("hubspot_twin") as twin_db:
        _load_gate_build(extracts["twin"], twin_db, monkeypatch, "")
        counts, said = _load_gate_build(extracts["vendors"], hubspot_db, monkeypatch, "crm=hubspot")
        landed = {t for (t,) in postgres_rows(hubspot_db, "select table_name from information_schema.tables "
                                                          "where table_schema = 'hubspot'")}
        assert landed == {t.name for t in HUBSPOT.tables}
        assert any(s.startswith("loaded hubspot.deal_stage into hubspot:") for s in said)

        compared = compare_postgres(twin_db, hubspot_db, ["marts"])
        assert len(compared) >= 15
        assert [c.line() for c in compared if not c.same] == []
        staged = [c for c in compare_postgres(twin_db, hubspot_db, ["staging"])
                  if c.line().startswith("staging.stg_crm__")]
        assert len(staged) == 10
        assert [c.line() for c in staged if not c.same] == []
        ledger = postgres_rows(hubspot_db, "select vendor_table, count(*) from staging.adapt_hubspot__row_ledger "
                                           "group by 1")
        assert dict(ledger) == {t.split(".")[1]: n for t, n in counts.items() if t.startswith("hubspot.")}
