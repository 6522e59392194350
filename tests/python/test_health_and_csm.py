"""The health, risk and CSM marts on the demo warehouse recover what the generator planted."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def con(demo_con):
    return demo_con


def _rates(con, indicator):
    return {value: (decided, rate) for value, decided, rate in con.execute("""
        select breakdown_value, decided_count, logo_renewal_rate
        from marts.leading_indicators
        where period_label = 'all' and segment_type = 'all' and breakdown = ?
    """, [indicator]).fetchall()}


def test_renewal_rate_falls_with_health_band_at_t90(con):
    rates = _rates(con, "health_outcome_band_t90")
    assert all(rates[band][0] >= 30 for band in ("high", "medium", "low")), rates
    assert rates["high"][1] > rates["medium"][1] > rates["low"][1], rates


def test_sponsor_changes_and_missing_value_reviews_lower_renewal_rates(con):
    sponsor = _rates(con, "sponsor_change")
    assert sponsor["changed"][0] >= 20, sponsor
    assert sponsor["changed"][1] < sponsor["unchanged"][1], sponsor
    review = _rates(con, "value_review_t60")
    assert review["not_done"][1] < review["done"][1], review
    engagement = _rates(con, "engagement")
    assert engagement["drop"][1] < engagement["no_drop"][1], engagement


def test_sponsor_changes_found_are_the_planted_ones(con):
    """Most sponsor changes the simulation planted within 90 days of a decided renewal are found, and most
    found are planted (the rest are background changes that happen to fall in a window)."""
    found, planted, both = con.execute("""
        select
            sum(case when r.has_sponsor_change then 1 else 0 end),
            sum(case when t.had_sponsor_change then 1 else 0 end),
            sum(case when r.has_sponsor_change and t.had_sponsor_change then 1 else 0 end)
        from marts.renewals as r
        inner join truth_events as t on r.expiring_contract_id = t.contract_id
        where r.is_decided
    """).fetchall()[0]
    assert both >= 0.9 * planted and both >= 0.7 * found, (found, planted, both)


def test_flagged_renewals_are_at_risk(con):
    """Every decided renewal the simulation flagged is at risk in the mart, with the planted lead bucket."""
    rows = con.execute("""
        select t.flag_lead_days, r.is_at_risk, r.flag_lead_days
        from marts.renewals as r
        inner join truth_events as t on r.expiring_contract_id = t.contract_id
        where r.is_decided and t.flag_lead_days is not null
    """).fetchall()
    assert len(rows) >= 50
    assert all(at_risk for _, at_risk, _ in rows)
    assert all(found >= planted for planted, _, found in rows)


def test_heavy_discounter_shows_a_discount_gap(con):
    gaps = dict(con.execute("""
        select csm_user_id, average_discount_rate_gap_points
        from marts.csm_variance
        where period_label = 'all'
    """).fetchall())
    heavy = con.execute("select user_id from truth_csms where planted_role = 'heavy_discounter'").fetchall()[0][0]
    assert gaps[heavy] >= 5, gaps
    assert gaps[heavy] == max(gaps.values()), gaps


def test_portfolio_adjustment_changes_the_ranking(con):
    rows = con.execute("""
        select csm_user_id, renewal_rate_rank, adjusted_renewal_rate_rank
        from marts.csm_variance
        where period_label = 'all' and is_in_spread
    """).fetchall()
    assert len(rows) >= 10
    assert any(raw != adjusted for _, raw, adjusted in rows)
    ranks = {csm: (raw, adjusted) for csm, raw, adjusted in rows}
    roles = dict(con.execute("select planted_role, user_id from truth_csms where planted_role is not null")
                 .fetchall())
    # The Enterprise book flatters its CSM; the SMB book hides a strong one.
    enterprise, smb = ranks[roles["enterprise_underperformer"]], ranks[roles["smb_star"]]
    assert enterprise[1] > enterprise[0], ranks
    assert smb[1] < smb[0], ranks


def test_save_rate_is_bounded_and_the_save_discount_is_visible(con):
    saved, at_risk, gap = con.execute("""
        select saved_arr, decided_at_risk_arr, save_discount_gap_points
        from marts.save_rate
        where save_rate_id = 'all|all|all|all'
    """).fetchall()[0]
    assert 0 < saved < at_risk
    # Saves carry an extra 10-25 points of discount in the simulation.
    assert 10 <= gap <= 25, gap


def test_health_bands_cover_every_customer_week(con):
    weeks, bands, low, high = con.execute("""
        select count(*), count(health_band), min(health_score), max(health_score)
        from marts.account_health
    """).fetchall()[0]
    assert weeks > 10_000 and weeks == bands
    assert low >= 0 and high <= 100
    # Every account that is a customer at a month-end is scored (weeks are finer: a short trial between
    # two month-ends is scored too).
    unscored = con.execute("""
        select count(distinct account_id) from intermediate.int_account_months
        where is_customer and account_id not in (select account_id from marts.account_health)
    """).fetchall()[0][0]
    assert unscored == 0
