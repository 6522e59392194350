{#-
    One row per renewal event whose T-90 (end date - 90 days) is on or before the as-of date, with the renewal
    likelihood model's features (rwh_renewal_model_features(): one x_<name> column each) as they were known at
    T-90, and the outcome the model learns from: renewals whose grace window has closed (is_evaluated; an
    early renewal of a window still open is left out, or the latest quarter would hold only renewals). Nothing dated
    after T-90 enters a feature (docs/renewal-likelihood.md; tests/python/test_renewal_model.py moves such data and
    sees no change):
    - segment: the account's company size (SMB is the baseline of the two indicators);
    - health_score_t90: the health score of the last weekly snapshot on or before T-90 (null without one);
    - usage_change_60d: active user-days in the 30 days up to T-90 against the same 30 days two months
      earlier, minus 1, where it fell (0 where it held or grew: growth does not predict renewal in the
      data; null without usage then); usage_change_60d_raw keeps the change as it was;
    - csat_60d, nps_60d, escalated_ticket_share_60d: in the 60 days up to T-90, the mean CSAT (of tickets
      opened and resolved in them, and CSAT surveys), the mean NPS answer, and the share of those tickets
      that were escalated (null without any): a ticket's CSAT and escalation are known once it is resolved;
    - is_value_review_done: a value review completed in the 180 days up to T-90;
    - is_at_risk_t90: a risk flag open on T-90 (int_renewal_risk), its reason in risk_reason_t90;
    - has_sponsor_change_180d: an executive sponsor change in the 180 days up to T-90;
    - is_first_renewal: the account's first renewal (tenure);
    - discount_rate_t90 and log_arr_t90: the discount (1 - net / list) and ln(1 + ARR) of the expiring
      contract's lines that had started by T-90 (an amendment starting later is not known yet).
    A null feature is scored at its training mean (contributes nothing).
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

{#- Usage: the last `window` days up to T-90 against the same span `lag` days earlier. Support and surveys:
    the `signal_window` days up to T-90. -#}
{%- set window = 30 -%}
{%- set lag = 60 -%}
{%- set signal_window = 60 -%}
{%- set t90 = dbt.dateadd('day', -90, 'events.end_date') -%}
{%- set double = rwh_double_type() -%}

with events as (

    select * from {{ ref('int_renewal_events') }}
    where {{ dbt.dateadd('day', -90, 'end_date') }} <= as_of_date

),

process as (

    select * from {{ ref('int_renewal_process_facts') }}

),

risk as (

    select * from {{ ref('int_renewal_risk') }}

),

indicators as (

    select * from {{ ref('int_renewal_leading_indicators') }}

),

event_lines as (

    select * from {{ ref('int_renewal_event_lines_matched') }}
    where line_role = 'expiring'

),

usage_days as (

    select * from {{ ref('int_usage_account_days') }}

),

tickets as (

    select * from {{ ref('stg_support__tickets') }}

),

survey_responses as (

    select * from {{ ref('stg_cs_platform__survey_responses') }}

),

value_reviews as (

    select * from {{ ref('stg_crm__value_reviews') }}
    where status = 'completed'

),

sponsor_changes as (

    select * from {{ ref('stg_crm__sponsor_changes') }}

),

usage_windows as (

    select
        events.renewal_event_id,
        sum(
            case
                when usage_days.usage_date > {{ dbt.dateadd('day', -window, t90) }} then usage_days.active_users
                else 0
            end
        ) as recent_active_user_days,
        sum(
            case
                when usage_days.usage_date <= {{ dbt.dateadd('day', -lag, t90) }} then usage_days.active_users
                else 0
            end
        ) as prior_active_user_days
    from events
    inner join usage_days
        on
            events.account_id = usage_days.account_id
            and usage_days.usage_date > {{ dbt.dateadd('day', -(lag + window), t90) }}
            and usage_days.usage_date <= {{ t90 }}
    group by 1

),

support as (

    {#- A ticket's escalation and CSAT are known once it is resolved: only tickets resolved by T-90 count. -#}
    select
        events.renewal_event_id,
        count(*) as ticket_count,
        sum(case when tickets.is_escalated then 1 else 0 end) as escalated_ticket_count,
        sum(tickets.csat_score) as csat_sum,
        count(tickets.csat_score) as csat_count
    from events
    inner join tickets
        on
            events.account_id = tickets.account_id
            and cast(tickets.created_at as date) > {{ dbt.dateadd('day', -signal_window, t90) }}
            and cast(tickets.resolved_at as date) <= {{ t90 }}
    group by 1

),

surveys as (

    select
        events.renewal_event_id,
        sum(case when survey_responses.survey_type = 'csat' then survey_responses.score else 0 end) as csat_sum,
        sum(case when survey_responses.survey_type = 'csat' then 1 else 0 end) as csat_count,
        avg(
            case when survey_responses.survey_type = 'nps' then cast(survey_responses.score as {{ double }}) end
        ) as nps_score
    from events
    inner join survey_responses
        on
            events.account_id = survey_responses.account_id
            and cast(survey_responses.responded_at as date) > {{ dbt.dateadd('day', -signal_window, t90) }}
            and cast(survey_responses.responded_at as date) <= {{ t90 }}
    group by 1

),

reviews as (

    select
        events.renewal_event_id,
        count(*) as review_count
    from events
    inner join value_reviews
        on
            events.account_id = value_reviews.account_id
            and value_reviews.completed_date > {{ dbt.dateadd('day', -180, t90) }}
            and value_reviews.completed_date <= {{ t90 }}
    group by 1

),

sponsors as (

    select
        events.renewal_event_id,
        count(*) as sponsor_change_count
    from events
    inner join sponsor_changes
        on
            events.account_id = sponsor_changes.account_id
            and sponsor_changes.changed_date > {{ dbt.dateadd('day', -180, t90) }}
            and sponsor_changes.changed_date <= {{ t90 }}
    group by 1

),

contract_at_t90 as (

    select
        events.renewal_event_id,
        sum(event_lines.arr) as arr_t90,
        sum(event_lines.list_arr) as list_arr_t90
    from events
    inner join event_lines
        on
            events.renewal_event_id = event_lines.renewal_event_id
            and event_lines.start_date <= {{ t90 }}
    group by 1

),

joined as (

    select
        events.renewal_event_id,
        events.account_id,
        events.end_date,
        cast({{ t90 }} as date) as t90_date,
        {{ rwh_fiscal_quarter_start('events.end_date') }} as fiscal_quarter_start_date,
        process.csm_user_id_at_t90,
        process.size_segment,
        events.outcome,
        events.is_decided,
        {{ dbt.dateadd('day', var('renewal_grace_days'), 'events.end_date') }} <= events.as_of_date as is_evaluated,
        events.is_renewed,
        coalesce(events.successor_signed_date > events.end_date, false) as is_signed_after_end,
        events.expiring_arr,
        events.renewed_arr,
        events.renewal_number,
        indicators.health_score_t90,
        risk.is_at_risk_t90,
        case when risk.is_at_risk_t90 then risk.primary_risk_reason end as risk_reason_t90,
        coalesce(reviews.review_count, 0) > 0 as is_value_review_done,
        coalesce(sponsors.sponsor_change_count, 0) > 0 as has_sponsor_change_180d,
        coalesce(usage_windows.recent_active_user_days, 0) as recent_active_user_days,
        coalesce(usage_windows.prior_active_user_days, 0) as prior_active_user_days,
        coalesce(support.ticket_count, 0) as ticket_count,
        coalesce(support.escalated_ticket_count, 0) as escalated_ticket_count,
        coalesce(support.csat_sum, 0) + coalesce(surveys.csat_sum, 0) as csat_sum,
        coalesce(support.csat_count, 0) + coalesce(surveys.csat_count, 0) as csat_count,
        surveys.nps_score,
        coalesce(contract_at_t90.arr_t90, 0) as arr_t90,
        coalesce(contract_at_t90.list_arr_t90, 0) as list_arr_t90
    from events
    inner join process
        on events.renewal_event_id = process.renewal_event_id
    inner join risk
        on events.renewal_event_id = risk.renewal_event_id
    inner join indicators
        on events.renewal_event_id = indicators.renewal_event_id
    left join usage_windows
        on events.renewal_event_id = usage_windows.renewal_event_id
    left join support
        on events.renewal_event_id = support.renewal_event_id
    left join surveys
        on events.renewal_event_id = surveys.renewal_event_id
    left join reviews
        on events.renewal_event_id = reviews.renewal_event_id
    left join sponsors
        on events.renewal_event_id = sponsors.renewal_event_id
    left join contract_at_t90
        on events.renewal_event_id = contract_at_t90.renewal_event_id

),

measured as (

    select
        joined.*,
        cast(
            case
                when joined.prior_active_user_days > 0
                    then {{ rwh_divide('cast(joined.recent_active_user_days as ' ~ double ~ ')',
                                       'joined.prior_active_user_days') }} - 1
            end
            as {{ double }}
        ) as usage_change_60d_raw,
        cast(
            case
                when joined.list_arr_t90 > 0
                    then 1 - {{ rwh_divide('cast(joined.arr_t90 as ' ~ double ~ ')', 'joined.list_arr_t90') }}
            end
            as {{ double }}
        ) as discount_rate_t90
    from joined

)

select
    renewal_event_id,
    account_id,
    end_date,
    t90_date,
    fiscal_quarter_start_date,
    csm_user_id_at_t90,
    size_segment,
    outcome,
    is_decided,
    is_evaluated,
    is_renewed,
    is_signed_after_end,
    expiring_arr,
    renewed_arr,
    arr_t90,
    risk_reason_t90,
    usage_change_60d_raw,
    ticket_count as ticket_count_60d,
    escalated_ticket_count as escalated_ticket_count_60d,
    cast(case when size_segment = 'mid_market' then 1 else 0 end as {{ double }}) as x_is_mid_market,
    cast(case when size_segment = 'enterprise' then 1 else 0 end as {{ double }}) as x_is_enterprise,
    cast(health_score_t90 as {{ double }}) as x_health_score_t90,
    case when usage_change_60d_raw > 0 then cast(0 as {{ double }}) else usage_change_60d_raw end
        as x_usage_change_60d,
    cast(
        case when csat_count > 0 then {{ rwh_divide('cast(csat_sum as ' ~ double ~ ')', 'csat_count') }} end
        as {{ double }}
    ) as x_csat_60d,
    cast(nps_score as {{ double }}) as x_nps_60d,
    cast(
        case
            when ticket_count > 0
                then {{ rwh_divide('cast(escalated_ticket_count as ' ~ double ~ ')', 'ticket_count') }}
        end
        as {{ double }}
    ) as x_escalated_ticket_share_60d,
    cast(case when is_value_review_done then 1 else 0 end as {{ double }}) as x_is_value_review_done,
    cast(case when is_at_risk_t90 then 1 else 0 end as {{ double }}) as x_is_at_risk_t90,
    cast(case when has_sponsor_change_180d then 1 else 0 end as {{ double }}) as x_has_sponsor_change_180d,
    cast(case when renewal_number = 1 then 1 else 0 end as {{ double }}) as x_is_first_renewal,
    discount_rate_t90 as x_discount_rate_t90,
    cast(ln(1 + arr_t90) as {{ double }}) as x_log_arr_t90
from measured
