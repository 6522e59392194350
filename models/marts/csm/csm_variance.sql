{#-
    CSM performance per CSM and fiscal quarter, and over all quarters together (period_label 'all', book at
    the as-of date) (docs/metrics.md section 8). A renewal belongs to the CSM who owned the account at T-90
    (ownership history, never today's owner) and to the quarter of its end date.
    - Outcome rates over the CSM's decided renewals: logo renewal rate, gross dollar retention, average
      discount and early-renewal rate (of renewed), escalation rate, save rate (ARR and logos, of decided
      at-risk renewals), and forecast accuracy (the quarter-start submission, forecast_accuracy). Each sits
      beside the team's rate for the quarter (all attributed renewals pooled) and the gap in points.
    - Portfolio adjustment: the expected renewal rate of the CSM's book applies the team's renewal rate per
      size segment x health band at T-90 (t90_outcome bands; all decided renewals up to the as-of date) to
      the CSM's decided renewals; the CSM's rate is shown above or below it, and ranked both ways.
    - Spread: max - min renewal rate of the quarter's CSMs with at least csm_min_decided_renewals decided
      renewals (smaller books are kept but left out of the spread and the ranks), flagged above
      csm_spread_flag_points points.
    - Book of business at the quarter's snapshot (its last day, or the as-of date): customer accounts owned by
      segment, ARR, the share of the book green / yellow / red in the last health week, expansion ARR of the
      quarter's renewals, and the proactive share of the CSM's logged activities in the quarter.
    The parts are intermediate models (int_csm_periods, int_csm_renewal_outcomes, int_csm_books,
    int_csm_activity_mix; forecasts from int_forecast_accuracy); this mart sets each CSM beside the team,
    and ranks and flags the spread.
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

{%- set outcome_rates = [
    'logo_renewal_rate', 'gross_dollar_retention_rate', 'average_discount_rate', 'early_renewal_rate',
    'escalation_rate', 'arr_save_rate', 'logo_save_rate', 'forecast_accuracy_rate'
] -%}

with periods as (

    select * from {{ ref('int_csm_periods') }}

),

renewal_rates as (

    select * from {{ ref('int_csm_renewal_outcomes') }}

),

book as (

    select * from {{ ref('int_csm_books') }}

),

activity_mix as (

    select * from {{ ref('int_csm_activity_mix') }}

),

forecasts as (

    {#- The quarter-start submission per quarter; over all quarters, the mean of those. -#}
    select
        csm_user_id,
        period_label,
        forecast_accuracy_rate
    from {{ ref('int_forecast_accuracy') }}
    where horizon = 'quarter_start'
    union all
    select
        csm_user_id,
        'all' as period_label,
        cast({{ rwh_round("avg(forecast_accuracy_rate)", 6) }} as decimal(18, 6)) as forecast_accuracy_rate
    from {{ ref('int_forecast_accuracy') }}
    where horizon = 'quarter_start'
    group by 1, 2

),

keys as (

    select
        csm_user_id,
        period_label
    from renewal_rates
    where csm_user_id != 'team'
    union
    select
        csm_user_id,
        period_label
    from book

),

csm_rows as (

    select
        keys.csm_user_id,
        periods.period_type,
        periods.period_start_date,
        keys.period_label,
        'all' as segment_type,
        'all' as segment_value,
        periods.period_type = 'all_time' as is_rollup,
        periods.snapshot_date as book_snapshot_date,
        coalesce(renewal_rates.up_for_renewal_count, 0) as up_for_renewal_count,
        coalesce(renewal_rates.decided_count, 0) as decided_count,
        coalesce(renewal_rates.renewed_count, 0) as renewed_count,
        coalesce(renewal_rates.pending_count, 0) as pending_count,
        coalesce(renewal_rates.decided_expiring_arr, 0) as decided_expiring_arr,
        coalesce(renewal_rates.renewed_arr, 0) as renewed_arr,
        {% for rate in outcome_rates if rate != 'forecast_accuracy_rate' %}
            renewal_rates.{{ rate }},
        {% endfor %}
        forecasts.forecast_accuracy_rate,
        renewal_rates.expected_logo_renewal_rate,
        coalesce(renewal_rates.decided_count, 0) >= {{ var('csm_min_decided_renewals') }} as is_in_spread,
        coalesce(book.book_account_count, 0) as book_account_count,
        coalesce(book.book_smb_account_count, 0) as book_smb_account_count,
        coalesce(book.book_mid_market_account_count, 0) as book_mid_market_account_count,
        coalesce(book.book_enterprise_account_count, 0) as book_enterprise_account_count,
        coalesce(book.book_arr, 0) as book_arr,
        coalesce(renewal_rates.renewal_expansion_arr, 0) as renewal_expansion_arr,
        book.book_green_share,
        book.book_yellow_share,
        book.book_red_share,
        coalesce(activity_mix.activity_count, 0) as activity_count,
        activity_mix.proactive_activity_share
    from keys
    inner join periods
        on keys.period_label = periods.period_label
    left join renewal_rates
        on
            keys.csm_user_id = renewal_rates.csm_user_id
            and keys.period_label = renewal_rates.period_label
    left join forecasts
        on
            keys.csm_user_id = forecasts.csm_user_id
            and keys.period_label = forecasts.period_label
    left join book
        on keys.csm_user_id = book.csm_user_id and keys.period_label = book.period_label
    left join activity_mix
        on
            keys.csm_user_id = activity_mix.csm_user_id
            and keys.period_label = activity_mix.period_label

),

team as (

    select
        renewal_rates.period_label,
        {% for rate in outcome_rates if rate != 'forecast_accuracy_rate' %}
            renewal_rates.{{ rate }} as team_{{ rate }},
        {% endfor %}
        forecasts.forecast_accuracy_rate as team_forecast_accuracy_rate
    from renewal_rates
    left join forecasts
        on
            forecasts.csm_user_id = 'team'
            and renewal_rates.period_label = forecasts.period_label
    where renewal_rates.csm_user_id = 'team'

),

compared as (

    select
        csm_rows.*,
        {% for rate in outcome_rates %}
            team.team_{{ rate }},
            cast((csm_rows.{{ rate }} - team.team_{{ rate }}) * 100 as decimal(9, 2)) as {{ rate }}_gap_points,
        {% endfor %}
        cast((csm_rows.logo_renewal_rate - csm_rows.expected_logo_renewal_rate) * 100 as decimal(9, 2))
            as logo_renewal_vs_expected_points
    from csm_rows
    left join team
        on csm_rows.period_label = team.period_label

),

spread as (

    select
        period_label,
        cast((max(logo_renewal_rate) - min(logo_renewal_rate)) * 100 as decimal(9, 2)) as renewal_rate_spread_points
    from compared
    where is_in_spread
    group by 1

),

final as (

    select
        {{ dbt.concat(['compared.csm_user_id', "'|'", 'compared.period_label']) }}
            as csm_quarter_id,
        compared.*,
        case
            when compared.is_in_spread
                then rank() over (
                    partition by compared.period_label, compared.is_in_spread
                    order by compared.logo_renewal_rate desc
                )
        end as renewal_rate_rank,
        case
            when compared.is_in_spread
                then rank() over (
                    partition by compared.period_label, compared.is_in_spread
                    order by compared.logo_renewal_vs_expected_points desc
                )
        end as adjusted_renewal_rate_rank,
        spread.renewal_rate_spread_points,
        coalesce(spread.renewal_rate_spread_points > {{ var('csm_spread_flag_points') }}, false) as is_spread_flagged
    from compared
    left join spread
        on compared.period_label = spread.period_label

)

{{ rwh_contract_select('final') }}
