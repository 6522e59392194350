{#-
    The renewal likelihood model's forecast of each fiscal quarter's renewed ARR (issue 14;
    docs/renewal-likelihood.md), made at the two horizons the team's forecasts are judged at: the quarter
    start and 30 days before its end (only once that day is on or before the as-of date). For every renewal
    ending in the quarter, what was known on the forecast day:
    - renewed already (its successor signed by then): its renewed ARR (gross basis);
    - lapsed (its grace window closed unsigned by then): nothing;
    - late (its end date passed unsigned, its grace window still open): the probability lowered by what the
      training renewals say of late signings, p x s / (p x s + 1 - p) with s the share of renewals signed after
      their end date, x expiring ARR x the training gross renewed ratio;
    - scored (its T-90 on or before that day): renewal probability x expiring ARR x the training gross
      renewed ratio (what a renewal keeps of its expiring ARR when it renews: renewals also contract);
    - not scored yet (T-90 later, the last days of a long quarter): the training renewal rate x expiring ARR
      x the same ratio.
    The actual is the renewed ARR of every renewal of the quarter, the same gross basis as the team's.
    One row per quarter and horizon.
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}
{%- set grace_end = dbt.dateadd('day', var('renewal_grace_days'), 'events.end_date') %}

with events as (

    select
        renewal_event_id,
        end_date,
        as_of_date,
        outcome,
        successor_signed_date,
        expiring_arr,
        renewed_arr,
        {{ rwh_fiscal_quarter_start('end_date') }} as fiscal_quarter_start_date
    from {{ ref('int_renewal_events') }}

),

likelihood as (

    select
        renewal_event_id,
        t90_date,
        cast(renewal_probability as {{ rwh_double_type() }}) as renewal_probability
    from {{ ref('int_renewal_likelihood') }}

),

training as (

    select
        cast(training_renewal_rate as {{ rwh_double_type() }}) as training_renewal_rate,
        cast(training_gross_renewed_ratio as {{ rwh_double_type() }}) as training_gross_renewed_ratio,
        cast(training_late_signing_share as {{ rwh_double_type() }}) as training_late_signing_share
    from {{ ref('ref_renewal_model_training') }}

),

quarters as (

    select distinct
        fiscal_quarter_start_date,
        as_of_date,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, 'fiscal_quarter_start_date')) }} as date)
            as fiscal_quarter_end_date
    from events

),

horizons as (

    select
        fiscal_quarter_start_date,
        fiscal_quarter_end_date,
        'quarter_start' as horizon,
        fiscal_quarter_start_date as forecast_date
    from quarters
    where fiscal_quarter_start_date <= as_of_date
    union all
    select
        fiscal_quarter_start_date,
        fiscal_quarter_end_date,
        'thirty_days_before_end' as horizon,
        cast({{ dbt.dateadd('day', -30, 'fiscal_quarter_end_date') }} as date) as forecast_date
    from quarters
    where {{ dbt.dateadd('day', -30, 'fiscal_quarter_end_date') }} <= as_of_date

),

classified as (

    select
        horizons.fiscal_quarter_start_date,
        horizons.fiscal_quarter_end_date,
        horizons.horizon,
        horizons.forecast_date,
        events.renewal_event_id,
        events.outcome,
        events.expiring_arr,
        events.renewed_arr,
        likelihood.renewal_probability,
        case
            when events.successor_signed_date <= horizons.forecast_date and events.outcome = 'renewed' then 'signed'
            when {{ grace_end }} < horizons.forecast_date then 'lapsed'
            when events.end_date < horizons.forecast_date then 'late'
            when likelihood.t90_date <= horizons.forecast_date then 'scored'
            else 'base_rate'
        end as basis
    from horizons
    inner join events
        on horizons.fiscal_quarter_start_date = events.fiscal_quarter_start_date
    left join likelihood
        on events.renewal_event_id = likelihood.renewal_event_id

),

expected as (

    select
        classified.*,
        case classified.basis
            when 'signed' then classified.renewed_arr
            when 'lapsed' then cast(0 as {{ rwh_money_type() }})
            when 'late'
                then cast(
                    classified.renewal_probability * training.training_late_signing_share
                    / nullif(
                        classified.renewal_probability * training.training_late_signing_share
                        + 1 - classified.renewal_probability,
                        0
                    )
                    * cast(training.training_gross_renewed_ratio * classified.expiring_arr as {{ rwh_double_type() }})
                    as {{ rwh_money_type() }}
                )
            when 'scored'
                then cast(
                    classified.renewal_probability * training.training_gross_renewed_ratio * classified.expiring_arr
                    as {{ rwh_money_type() }}
                )
            else cast(
                training.training_renewal_rate * training.training_gross_renewed_ratio * classified.expiring_arr
                as {{ rwh_money_type() }}
            )
        end as expected_renewed_arr
    from classified
    cross join training

)

select
    fiscal_quarter_start_date,
    fiscal_quarter_end_date,
    horizon,
    forecast_date,
    count(*) as renewal_count,
    sum(case when basis = 'signed' then 1 else 0 end) as signed_count,
    sum(case when basis = 'lapsed' then 1 else 0 end) as lapsed_count,
    sum(case when basis = 'late' then 1 else 0 end) as late_count,
    sum(case when basis = 'scored' then 1 else 0 end) as scored_count,
    sum(case when basis = 'base_rate' then 1 else 0 end) as base_rate_count,
    sum(case when outcome = 'pending' then 1 else 0 end) as pending_count,
    cast(sum(expected_renewed_arr) as {{ rwh_money_type() }}) as forecast_renewed_arr,
    cast(sum(renewed_arr) as {{ rwh_money_type() }}) as actual_renewed_arr
from expected
group by 1, 2, 3, 4
