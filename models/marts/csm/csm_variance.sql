{#-
    CSM performance per CSM and fiscal quarter, and over all quarters together (period_label 'all', book at
    the as-of date) (METRICS.md section 8). A renewal belongs to the CSM who owned the account at T-90
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
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

{%- set outcome_rates = [
    'logo_renewal_rate', 'gross_dollar_retention_rate', 'average_discount_rate', 'early_renewal_rate',
    'escalation_rate', 'arr_save_rate', 'logo_save_rate', 'forecast_accuracy_rate'
] -%}
{%- set renewal_columns = [
    'fiscal_quarter_label', 'outcome', 'is_decided', 'is_renewed', 'expiring_arr', 'renewed_arr',
    'expansion_arr', 'discount_rate', 'is_early_renewal', 'is_escalated', 'is_at_risk', 'is_saved', 'saved_arr',
    'csm_user_id_at_t90'
] -%}

with renewals as (

    select * from {{ ref('renewals') }}
    where
        not is_upcoming
        and csm_user_id_at_t90 is not null

),

months as (

    select * from {{ ref('int_calendar_months') }}

),

ownership as (

    select * from {{ ref('stg_crm__account_ownership') }}

),

account_months as (

    select * from {{ ref('int_account_months') }}

),

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

health as (

    select * from {{ ref('account_health') }}

),

activities as (

    select * from {{ ref('stg_crm__activities') }}

),

forecasts as (

    {#- The quarter-start submission per quarter; over all quarters, the mean of those. -#}
    select
        csm_user_id,
        period_label,
        forecast_accuracy_rate
    from {{ ref('forecast_accuracy') }}
    where horizon = 'quarter_start'
    union all
    select
        csm_user_id,
        'all' as period_label,
        cast({{ rwh_round("avg(forecast_accuracy_rate)", 6) }} as decimal(18, 6)) as forecast_accuracy_rate
    from {{ ref('forecast_accuracy') }}
    where horizon = 'quarter_start'
    group by 1, 2

),

periods as (

    {#- Each fiscal quarter, and 'all' (every quarter together, its book at the as-of date). -#}
    select
        'fiscal_quarter' as period_type,
        max(fiscal_quarter_label) as period_label,
        fiscal_quarter_start_date as period_start_date,
        fiscal_quarter_start_date as activity_from_date,
        max(month_start_date) as last_month_start_date,
        max(snapshot_date) as snapshot_date
    from months
    group by 3
    union all
    select
        'all_time' as period_type,
        'all' as period_label,
        cast(null as date) as period_start_date,
        min(month_start_date) as activity_from_date,
        max(month_start_date) as last_month_start_date,
        max(snapshot_date) as snapshot_date
    from months

),

expected_cells as (

    select
        size_segment,
        coalesce(health_outcome_band_t90, 'unknown') as health_band,
        {{ rwh_ratio('sum(case when is_renewed then 1 else 0 end)', 'count(*)') }} as cell_renewal_rate
    from renewals
    where is_decided
    group by 1, 2

),

attributed as (

    select
        {% for column in renewal_columns -%}
            renewals.{{ column }},
        {% endfor -%}
        expected_cells.cell_renewal_rate
    from renewals
    left join expected_cells
        on
            renewals.size_segment = expected_cells.size_segment
            and coalesce(renewals.health_outcome_band_t90, 'unknown') = expected_cells.health_band

),

by_period as (

    select
        attributed.*,
        'fiscal_quarter' as period_type,
        attributed.fiscal_quarter_label as period_label
    from attributed
    union all
    select
        attributed.*,
        'all_time' as period_type,
        'all' as period_label
    from attributed

),

with_team as (

    select
        by_period.*,
        by_period.csm_user_id_at_t90 as csm_user_id
    from by_period
    union all
    select
        by_period.*,
        'team' as csm_user_id
    from by_period

),

renewal_totals as (

    select
        csm_user_id,
        period_label,
        count(*) as up_for_renewal_count,
        sum(case when is_decided then 1 else 0 end) as decided_count,
        sum(case when is_renewed then 1 else 0 end) as renewed_count,
        sum(case when outcome = 'pending' then 1 else 0 end) as pending_count,
        cast(sum(case when is_decided then expiring_arr else 0 end) as {{ rwh_money_type() }}) as decided_expiring_arr,
        cast(sum(renewed_arr) as {{ rwh_money_type() }}) as renewed_arr,
        cast(sum(expansion_arr) as {{ rwh_money_type() }}) as renewal_expansion_arr,
        sum(case when is_renewed then discount_rate end) as sum_discount_rate,
        sum(case when is_early_renewal then 1 else 0 end) as early_renewal_count,
        sum(case when is_decided and is_escalated then 1 else 0 end) as escalated_count,
        sum(case when is_at_risk and is_decided then 1 else 0 end) as decided_at_risk_count,
        sum(case when is_at_risk and is_decided then expiring_arr else 0 end) as decided_at_risk_arr,
        sum(case when is_saved then 1 else 0 end) as saved_count,
        sum(saved_arr) as saved_arr,
        sum(case when is_decided then cell_renewal_rate else 0 end) as expected_renewed_count
    from with_team
    group by 1, 2

),

renewal_rates as (

    select
        renewal_totals.*,
        {{ rwh_ratio('renewed_count', 'decided_count') }} as logo_renewal_rate,
        {{ rwh_ratio('renewed_arr', 'decided_expiring_arr') }} as gross_dollar_retention_rate,
        {{ rwh_ratio('sum_discount_rate', 'renewed_count') }} as average_discount_rate,
        {{ rwh_ratio('early_renewal_count', 'renewed_count') }} as early_renewal_rate,
        {{ rwh_ratio('escalated_count', 'decided_count') }} as escalation_rate,
        {{ rwh_ratio('saved_arr', 'decided_at_risk_arr') }} as arr_save_rate,
        {{ rwh_ratio('saved_count', 'decided_at_risk_count') }} as logo_save_rate,
        {{ rwh_ratio('expected_renewed_count', 'decided_count') }} as expected_logo_renewal_rate
    from renewal_totals

),

owned_accounts as (

    select
        ownership.owner_user_id as csm_user_id,
        periods.period_label,
        ownership.account_id,
        accounts.size_segment,
        account_months.arr
    from periods
    inner join ownership
        on
            periods.snapshot_date >= ownership.valid_from_date
            and (ownership.valid_to_date is null or periods.snapshot_date <= ownership.valid_to_date)
    inner join account_months
        on
            ownership.account_id = account_months.account_id
            and periods.last_month_start_date = account_months.month_start_date
            and account_months.is_customer
    inner join accounts
        on ownership.account_id = accounts.account_id

),

last_health as (

    select
        owned_accounts.csm_user_id,
        owned_accounts.period_label,
        health.health_band,
        row_number() over (
            partition by owned_accounts.csm_user_id, owned_accounts.period_label, owned_accounts.account_id
            order by health.snapshot_date desc
        ) as week_rank
    from owned_accounts
    inner join periods
        on owned_accounts.period_label = periods.period_label
    inner join health
        on
            owned_accounts.account_id = health.account_id
            and periods.snapshot_date >= health.snapshot_date
            and health.snapshot_date > {{ dbt.dateadd('day', -7, 'periods.snapshot_date') }}

),

book as (

    select
        owned_accounts.csm_user_id,
        owned_accounts.period_label,
        count(*) as book_account_count,
        sum(case when owned_accounts.size_segment = 'smb' then 1 else 0 end) as book_smb_account_count,
        sum(case when owned_accounts.size_segment = 'mid_market' then 1 else 0 end) as book_mid_market_account_count,
        sum(case when owned_accounts.size_segment = 'enterprise' then 1 else 0 end) as book_enterprise_account_count,
        cast(sum(owned_accounts.arr) as {{ rwh_money_type() }}) as book_arr
    from owned_accounts
    group by 1, 2

),

book_health as (

    select
        csm_user_id,
        period_label,
        count(*) as book_scored_account_count,
        sum(case when health_band = 'green' then 1 else 0 end) as book_green_count,
        sum(case when health_band = 'yellow' then 1 else 0 end) as book_yellow_count,
        sum(case when health_band = 'red' then 1 else 0 end) as book_red_count
    from last_health
    where week_rank = 1
    group by 1, 2

),

activity_mix as (

    select
        activities.user_id as csm_user_id,
        periods.period_label,
        count(*) as activity_count,
        sum(case when activities.is_proactive then 1 else 0 end) as proactive_activity_count
    from activities
    inner join periods
        on
            cast(activities.occurred_at as date) >= periods.activity_from_date
            and cast(activities.occurred_at as date) <= periods.snapshot_date
    where activities.user_id is not null
    group by 1, 2

),

keys as (

    select
        csm_user_id,
        period_label
    from renewal_totals
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
        {{ rwh_ratio('book_health.book_green_count', 'book_health.book_scored_account_count') }} as book_green_share,
        {{ rwh_ratio('book_health.book_yellow_count', 'book_health.book_scored_account_count') }} as book_yellow_share,
        {{ rwh_ratio('book_health.book_red_count', 'book_health.book_scored_account_count') }} as book_red_share,
        coalesce(activity_mix.activity_count, 0) as activity_count,
        {{ rwh_ratio('activity_mix.proactive_activity_count', 'activity_mix.activity_count') }} as proactive_activity_share
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
    left join book_health
        on
            keys.csm_user_id = book_health.csm_user_id
            and keys.period_label = book_health.period_label
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
