"""The pipeline and forecast marts on the demo warehouse recover what the generator planted."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def con(demo_con):
    return demo_con


def test_planted_forecasters_show_their_bias(con):
    readings = dict(con.execute("""
        select truth_csms.planted_role, bias.forecast_bias_reading
        from marts.csm_forecast_bias as bias
        inner join truth_csms on bias.csm_user_id = truth_csms.user_id
        where truth_csms.planted_role in ('optimist', 'sandbagger')
    """).fetchall())
    assert readings == {"optimist": "optimist", "sandbagger": "sandbagger"}
    calibrated, = con.execute("""
        select count(*) from marts.csm_forecast_bias as bias
        inner join truth_csms on bias.csm_user_id = truth_csms.user_id
        where truth_csms.planted_role is null and bias.forecast_bias_reading != 'calibrated'
    """).fetchall()[0]
    assert calibrated == 0


def test_stalled_renewals_are_behind_schedule(con):
    shares = dict(con.execute("""
        select t.is_stalled, avg(case when w.is_behind_schedule then 1.0 else 0 end)
        from intermediate.int_opportunity_weeks as w
        inner join truth_events as t on w.opportunity_id = t.opportunity_id
        where w.days_before_end between 35 and 75
        group by 1
    """).fetchall())
    assert shares[True] > 0.6
    assert shares[False] < 0.25


def test_coverage_reaches_the_target_as_renewals_close(con):
    """For a finished quarter, the weighted pipeline at its last snapshot is what was won (lost weighs 0)."""
    won, weighted = con.execute("""
        select won_arr, weighted_pipeline_arr
        from marts.pipeline_coverage
        where segment_type = 'all'
          and period_start_date = date '2026-01-01'
        order by week_start_date desc
        limit 1
    """).fetchall()[0]
    assert won > 0
    assert float(weighted) == pytest.approx(float(won), rel=0.02)
