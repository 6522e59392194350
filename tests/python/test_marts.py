"""The retention and renewal marts on the demo warehouse recover what the generator planted."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def con(demo_con):
    return demo_con


def _one(con, sql):
    return con.execute(sql).fetchall()[0]


def test_outcomes_match_the_simulation(con):
    """Every decided renewal event gets the outcome the simulation gave it (billing truth, grace window,
    inferred successors, late renewals inside and outside the window)."""
    rows = con.execute("""
        select r.outcome, t.outcome, count(*)
        from marts.renewals as r
        inner join truth_events as t on r.expiring_contract_id = t.contract_id
        where r.is_decided
        group by 1, 2
    """).fetchall()
    expected = {"renewed": {"renewed", "renewed_late"}, "churned": {"churned", "late_outside_grace"}}
    mismatched = [(mart, sim, n) for mart, sim, n in rows if sim not in expected[mart]]
    assert rows and not mismatched, mismatched


def test_inferred_successors_are_the_missing_links(con):
    inferred, missing_links = _one(con, """
        select
            sum(case when r.is_successor_inferred then 1 else 0 end),
            sum(case when r.is_successor_inferred and r.successor_contract_id = t.successor_contract_id
                then 1 else 0 end)
        from marts.renewals as r
        inner join truth_events as t on r.expiring_contract_id = t.contract_id
    """)
    assert inferred > 0
    assert inferred == missing_links


def test_smb_retains_worse_than_enterprise(con):
    rates = dict(con.execute("""
        select segment_value, sum(renewed_count) * 1.0 / sum(decided_count)
        from marts.renewals_by_quarter
        where segment_type = 'size' and breakdown_value = 'all'
        group by 1
    """).fetchall())
    assert rates["smb"] < rates["mid_market"] < rates["enterprise"]
    grr = dict(con.execute("""
        select segment_value, gross_revenue_retention_rate
        from marts.retention
        where period_type = 'trailing_twelve_months' and segment_type = 'size'
          and closing_month_start_date = (select max(closing_month_start_date) from marts.retention)
    """).fetchall())
    assert grr["smb"] < grr["enterprise"]


def test_low_health_renews_less(con):
    by_health = dict(con.execute("""
        select t.health, avg(case when r.is_renewed then 1.0 else 0 end)
        from marts.renewals as r
        inner join truth_events as t on r.expiring_contract_id = t.contract_id
        where r.is_decided
        group by 1
    """).fetchall())
    assert by_health["low"] + 0.2 < by_health["high"]


def test_demo_values_are_plausible(con):
    nrr, grr, logo_churn = _one(con, """
        select net_revenue_retention_rate, gross_revenue_retention_rate, logo_churn_rate
        from marts.retention
        where period_type = 'trailing_twelve_months' and segment_type = 'all'
          and closing_month_start_date = (select max(closing_month_start_date) from marts.retention)
    """)
    assert 0.90 <= nrr <= 1.25
    assert 0.80 <= grr <= 0.97
    assert 0.03 <= logo_churn <= 0.30
    logo_renewal, = _one(con, """
        select sum(renewed_count) * 1.0 / sum(decided_count)
        from marts.renewals_by_quarter where segment_type = 'all' and breakdown_value = 'all'
    """)
    assert 0.70 <= logo_renewal <= 0.92


def test_every_expansion_type_appears(con):
    rows = con.execute("select distinct expansion_type from intermediate.int_renewal_expansion_types").fetchall()
    types = {r[0] for r in rows}
    assert types == {"new_product", "module", "tier_upgrade", "seats", "price_uplift"}


def test_late_renewals_are_bridged_not_churned(con):
    bridged, = _one(con, "select count(*) from intermediate.int_contract_lines_bridged where is_bridged")
    assert bridged > 0
    churn_then_back, = _one(con, """
        select count(*)
        from marts.renewals as r
        inner join intermediate.int_mrr_movements as m
            on r.account_id = m.account_id
            and m.movement_type = 'churn'
            and m.month_start_date > r.end_date
            and m.month_start_date <= r.successor_start_date
        where r.is_renewed and r.successor_start_date > r.end_date + interval 1 day
    """)
    assert churn_then_back == 0
