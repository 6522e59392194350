-- docs/metrics.md invariant 4: weighted pipeline <= unweighted pipeline; the stage shares of a pipeline sum to 1.
{{ config(enabled=rwh_has_systems(['billing', 'crm'])) }}
select *
from {{ ref('pipeline_coverage') }}
where
    weighted_pipeline_arr > unweighted_pipeline_arr + 0.000001
    or (
        unweighted_pipeline_arr > 0
        and abs(
            not_engaged_share + early_discussion_share + proposal_sent_share + negotiation_share
            + closed_won_share + closed_lost_share - 1
        ) > 0.00001
    )
    or (not is_target_missing and target_arr > 0 and coverage_rate is null)
