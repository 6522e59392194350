"""The synthetic data generator: determinism, the contract, coherence and the planted effects."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import duckdb
import pyarrow.parquet as pq
import pytest

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.generator import GeneratorConfig, effects, generate

TINY = GeneratorConfig(accounts=40, years=1.0, seed=5)


def _digests(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path):
    generate(TINY, tmp_path / "a", progress=lambda _m: None)
    generate(TINY, tmp_path / "b", progress=lambda _m: None)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert len(a) == len(rc.TABLES) + 3  # 21 tables, the manifest and two truth tables
    assert a == b


def test_other_seed_other_data(tmp_path):
    generate(TINY, tmp_path / "a", progress=lambda _m: None)
    other = GeneratorConfig(accounts=TINY.accounts, years=TINY.years, seed=TINY.seed + 1)
    generate(other, tmp_path / "b", progress=lambda _m: None)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert a["billing/contracts.parquet"] != b["billing/contracts.parquet"]


def test_files_follow_the_contract(small_raw):
    manifest = json.loads((small_raw / "_manifest.json").read_text())
    for t in rc.TABLES:
        path = small_raw / t.system / f"{t.name}.parquet"
        table = pq.read_table(path)
        assert table.schema.equals(rc.arrow_schema(t)), t.qualified
        assert table.num_rows == manifest["row_counts"][t.qualified], t.qualified
        assert table.num_rows >= t.min_rows, t.qualified


def test_nothing_after_the_extract(small_raw):
    manifest = json.loads((small_raw / "_manifest.json").read_text())
    con = duckdb.connect()
    planted = {(e["table"], e["key"]) for e in manifest["expected_quarantine"] if e["reason"] == "future_date"}
    for t in rc.TABLES:
        path = small_raw / t.system / f"{t.name}.parquet"
        key = " || '|' || ".join(f"coalesce(cast({k} as varchar), '')" for k in t.primary_key)
        rows = con.sql(f"select {key}, _loaded_at from read_parquet('{path}') "
                       f"where _loaded_at > cast('{manifest['extracted_at']}' as timestamp)").fetchall()
        # only the row planted "in the future" (quarantined as future_date) was loaded after the extract
        assert {(t.qualified, k) for k, _ in rows} <= planted, t.qualified
    assert any(t == "crm.activities" for t, _ in planted)
    signed = con.sql(f"select max(signed_date) from read_parquet('{small_raw}/billing/contracts.parquet') "
                     "where contract_id not like '%-X%'").fetchall()[0][0]
    assert signed.isoformat() <= manifest["as_of"]


def test_late_arriving_usage(small_raw):
    manifest = json.loads((small_raw / "_manifest.json").read_text())
    late = duckdb.sql(
        f"select count(*) from read_parquet('{small_raw}/product/usage_daily.parquet') "
        "where _loaded_at > usage_date + interval 2 day").fetchall()[0][0]
    assert late > 0
    assert manifest["late_usage_rows_not_yet_arrived"] > 0


def test_clean_extract_has_no_corruption(tmp_path):
    manifest = generate(GeneratorConfig(accounts=30, years=1.0, seed=3, corrupt=False), tmp_path,
                        progress=lambda _m: None)
    assert manifest["expected_quarantine"] == []
    assert manifest["expected_duplicates"] == []
    assert manifest["expected_superseded"] == []


def test_world_is_coherent(small_raw):
    con = duckdb.connect()
    con.execute(f"create view contracts as select * from read_parquet('{small_raw}/billing/contracts.parquet')")
    con.execute(f"create view lines as select * from read_parquet('{small_raw}/billing/contract_lines.parquet')")
    kinds = {r[0] for r in con.sql("select distinct contract_type from contracts").fetchall()}
    assert {"new", "renewal"} <= kinds
    assert con.sql("select count(*) from contracts where end_date is null").fetchall()[0][0] > 0  # open-ended
    assert con.sql("select count(distinct currency) from contracts").fetchall()[0][0] >= 3  # multi-currency
    orphan = con.sql("select count(*) from lines l left join contracts c using (contract_id) "
                     "where c.contract_id is null and l.contract_line_id not like '%-X%'").fetchall()[0][0]
    assert orphan == 0


def test_scale_chunks_keep_keys_unique(tmp_path):
    cfg = GeneratorConfig(accounts=1500, years=1.0, seed=9, chunk_accounts=300, corrupt=False)
    manifest = generate(cfg, tmp_path, progress=lambda _m: None)
    path = tmp_path / "product" / "usage_daily.parquet"
    assert pq.ParquetFile(path).metadata.num_row_groups >= 5
    n, distinct = duckdb.sql(
        f"select count(*), count(distinct (account_id, user_id, usage_date)) from read_parquet('{path}')").fetchall()[0]
    assert n == distinct == manifest["row_counts"]["product.usage_daily"]
    assert n > 500_000


@pytest.fixture(scope="module")
def demo_truth(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    generate(GeneratorConfig(accounts=400, years=4.0, seed=42), out, progress=lambda _m: None)
    con = duckdb.connect()
    con.execute(f"create view ev as select * from read_parquet('{out}/_truth/renewal_events.parquet') "
                "where contract_type != 'trial' and outcome is not null")
    con.execute(f"create view csms as select * from read_parquet('{out}/_truth/csms.parquet')")
    return con


def test_truth_keeps_the_probability_each_renewal_was_drawn_with(demo_truth):
    """_truth/renewal_events.renewal_probability is effects.renewal_probability of the event's own facts
    (the CSM's skill is kept to 4 decimals), and the outcomes follow it: renewals drawn with a higher
    probability renew more, and the mean probability is the renewal rate within sampling error."""
    rows = demo_truth.sql("select ev.segment, csms.skill, ev.health, ev.had_sponsor_change, ev.value_review_done, "
                          "ev.flag_lead_days, ev.renewal_probability, ev.outcome in ('renewed', 'renewed_late') "
                          "from ev join csms on csms.user_id = ev.csm_at_t90 "
                          "where ev.renewal_probability is not null").fetchall()
    assert len(rows) > 300
    for segment, skill, health, sponsor, review, lead, p, _ in rows:
        assert abs(effects.renewal_probability(segment, skill, health, sponsor, review, lead) - p) <= 5e-5
    n = len(rows)
    mean_p = sum(r[6] for r in rows) / n
    rate = sum(r[7] for r in rows) / n
    assert abs(rate - mean_p) < 3 * (mean_p * (1 - mean_p) / n) ** 0.5, (rate, mean_p)
    low = [r[7] for r in rows if r[6] < 0.6]
    high = [r[7] for r in rows if r[6] >= 0.9]
    assert sum(low) / len(low) + 0.2 < sum(high) / len(high)


def test_the_manifest_states_the_effects_the_simulation_uses():
    """PLANTED_EFFECTS is built from the constants renewal_probability reads: change one and both move."""
    assert effects.PLANTED_EFFECTS["health_effect_on_renewal_probability"] is effects.HEALTH_EFFECT
    base = effects.renewal_probability("smb", 0.0, "mid", False, True, None)
    assert base == effects.PLANTED_EFFECTS["segment_base_renewal_probability"]["smb"]
    assert effects.renewal_probability("smb", 0.0, "mid", True, True, None) == pytest.approx(
        base + effects.PLANTED_EFFECTS["sponsor_change_within_90_days_effect"])
    assert effects.renewal_probability("smb", 0.0, "mid", False, False, 120) == pytest.approx(
        base + effects.PLANTED_EFFECTS["no_value_review_t150_t61_effect"]
        + effects.PLANTED_EFFECTS["risk_flag_90_plus_days_early_effect"])
    assert effects.renewal_probability("enterprise", 0.2, "high", False, True, None) == 0.99  # clipped


def _rate(con, where: str) -> float:
    return con.sql(f"select avg(case when outcome in ('renewed', 'renewed_late') then 1.0 else 0 end) "
                   f"from ev where {where}").fetchall()[0][0]


def test_planted_segment_retention(demo_truth):
    assert _rate(demo_truth, "segment = 'smb'") < _rate(demo_truth, "segment = 'enterprise'")


def test_planted_health_effect(demo_truth):
    assert _rate(demo_truth, "health = 'low'") + 0.15 < _rate(demo_truth, "health = 'high'")


def test_planted_sponsor_and_review_effects(demo_truth):
    assert _rate(demo_truth, "had_sponsor_change") < _rate(demo_truth, "not had_sponsor_change")
    assert _rate(demo_truth, "not value_review_done") < _rate(demo_truth, "value_review_done")


def test_planted_early_flags_save_more(demo_truth):
    assert _rate(demo_truth, "flag_lead_days >= 90") > _rate(demo_truth, "flag_lead_days < 60")


def test_config_is_validated():
    with pytest.raises(ValueError, match="accounts"):
        GeneratorConfig(accounts=1).validate()
    with pytest.raises(ValueError, match="years"):
        GeneratorConfig(years=50).validate()
    assert GeneratorConfig().as_of - timedelta(days=1) < GeneratorConfig().as_of
