{#-
    One row per renewal event with its outcome and amounts (docs/metrics.md section 2).

    - renewed: a successor starts no later than end date + grace; churned: none by then; pending: the
      as-of date is before end + grace and there is no successor yet (never counted as either).
    - Amounts compare the successor with the expiring lines at constant currency: each successor line is
      valued at the expiring side's rate for its currency (the line's own rate for a currency the expiring
      side did not hold); what remains is the FX movement.
    - renewed_arr = min(successor, expiring); expansion = max(successor - expiring, 0); contraction =
      max(expiring - successor, 0), for renewed events only.
-#}
with events as (

    select * from {{ ref('int_renewal_successors_matched') }}

),

event_lines as (

    select * from {{ ref('int_renewal_event_lines_matched') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

expiring_totals as (

    select
        renewal_event_id,
        sum(arr) as expiring_arr,
        max(tier_rank) as expiring_tier_rank,
        count(*) as expiring_line_count
    from event_lines
    where line_role = 'expiring'
    group by 1

),

successor_totals as (

    select
        renewal_event_id,
        sum(arr) as successor_arr,
        sum(list_arr) as successor_list_arr,
        sum(arr_constant_currency) as successor_arr_constant_currency
    from event_lines
    where line_role = 'successor'
    group by 1

),

classified as (

    select
        events.*,
        as_of.as_of_date,
        cast(coalesce(expiring_totals.expiring_arr, 0) as {{ rwh_money_type() }}) as expiring_arr,
        expiring_totals.expiring_tier_rank,
        coalesce(expiring_totals.expiring_line_count, 0) as expiring_line_count,
        cast(successor_totals.successor_arr as {{ rwh_money_type() }}) as successor_arr,
        cast(successor_totals.successor_arr_constant_currency as {{ rwh_money_type() }})
            as successor_arr_constant_currency,
        cast(successor_totals.successor_list_arr as {{ rwh_money_type() }}) as successor_list_arr,
        case
            when
                events.successor_start_date is not null
                and events.successor_start_date <= {{ dbt.dateadd('day', var('renewal_grace_days'),
                    'events.end_date') }}
                then 'renewed'
            when as_of.as_of_date < {{ dbt.dateadd('day', var('renewal_grace_days'), 'events.end_date') }}
                then 'pending'
            else 'churned'
        end as outcome
    from events
    cross join as_of
    left join expiring_totals
        on events.renewal_event_id = expiring_totals.renewal_event_id
    left join successor_totals
        on events.renewal_event_id = successor_totals.renewal_event_id

)

select
    classified.*,
    classified.outcome = 'renewed' as is_renewed,
    classified.outcome = 'churned' as is_churned,
    classified.outcome != 'pending' as is_decided,
    classified.end_date > classified.as_of_date as is_upcoming,
    cast(
        case
            when classified.outcome = 'renewed'
                then
                    case
                        when classified.successor_arr_constant_currency < classified.expiring_arr
                            then classified.successor_arr_constant_currency
                        else classified.expiring_arr
                    end
            else 0
        end as {{ rwh_money_type() }}
    ) as renewed_arr,
    cast(
        case
            when classified.outcome = 'renewed' and classified.successor_arr_constant_currency > classified.expiring_arr
                then classified.successor_arr_constant_currency - classified.expiring_arr
            else 0
        end as {{ rwh_money_type() }}
    ) as expansion_arr,
    cast(
        case
            when classified.outcome = 'renewed' and classified.successor_arr_constant_currency < classified.expiring_arr
                then classified.expiring_arr - classified.successor_arr_constant_currency
            else 0
        end as {{ rwh_money_type() }}
    ) as contraction_arr,
    cast(
        case
            when classified.outcome = 'churned' then classified.expiring_arr
            else 0
        end as {{ rwh_money_type() }}
    ) as churned_arr,
    cast(
        case
            when classified.outcome = 'renewed'
                then classified.successor_arr - classified.successor_arr_constant_currency
            else 0
        end as {{ rwh_money_type() }}
    ) as fx_arr,
    cast(
        case
            when classified.outcome = 'renewed' and classified.successor_list_arr > 0
                then 1 - {{ rwh_divide('classified.successor_arr', 'classified.successor_list_arr') }}
        end as decimal(18, 6)
    ) as discount_rate,
    case
        when classified.outcome = 'renewed'
            then {{ dbt.datediff('classified.successor_signed_date', 'classified.end_date', 'day') }}
    end as days_early,
    classified.outcome = 'renewed'
    and classified.successor_signed_date
    <= {{ dbt.dateadd('day', -1 * var('early_renewal_days'), 'classified.end_date') }} as is_early_renewal,
    classified.outcome = 'renewed' and classified.successor_term_months >= 24 as is_multi_year_renewal,
    row_number() over (
        partition by classified.account_id
        order by classified.end_date, classified.renewal_event_id
    ) as renewal_number
from classified
