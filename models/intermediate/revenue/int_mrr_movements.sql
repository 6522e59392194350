{#-
    One row per account and month: the MRR bridge from the previous month's snapshot (docs/metrics.md section 2).

    The closing side is first valued at the opening side's FX rate for each currency (constant currency;
    a currency the opening side did not hold keeps its lines' own rates). Churn and reactivation are
    decided first: new = first MRR ever (or a return after more than var reactivation_max_gap_months months
    at zero), reactivation = MRR after one or more months at zero, churn = MRR falls to zero (amount = the
    opening MRR); otherwise the change is expansion or contraction. What remains of the change is FX, so
    opening + new + expansion + reactivation - contraction - churn + fx + quarantined = closing, exactly, in
    ARR and in MRR.

    Revenue staging quarantined is no churn and no new business: when the MRR falls to zero in a month whose
    snapshot has a quarantined line of the account that carries ARR or cannot be priced
    (int_account_months.has_quarantined_arr), or returns from zero after such a month, the movement is
    'quarantined' (its signed amount in quarantined_arr), not churn, new or reactivation. Every movement of a month
    touching quarantined revenue (its opening or its closing snapshot) is flagged has_quarantined_revenue.
-#}
with account_months as (

    select * from {{ ref('int_account_months') }}

),

currencies as (

    select * from {{ ref('int_account_month_currencies') }}

),

constant_currency as (

    select
        closing.account_id,
        closing.month_start_date,
        sum(
            case
                when opening.arr_local = closing.arr_local then opening.arr
                when opening.arr_local > 0
                    then {{ rwh_divide('closing.arr_local * opening.arr', 'opening.arr_local') }}
                else closing.arr
            end
        ) as closing_arr_constant_currency
    from currencies as closing
    left join currencies as opening
        on
            closing.account_id = opening.account_id
            and closing.currency = opening.currency
            and opening.month_start_date = cast({{ dbt.dateadd('month', -1, 'closing.month_start_date') }} as date)
    group by 1, 2

),

sequenced as (

    select
        account_months.account_id,
        account_months.month_start_date,
        account_months.account_month_id,
        account_months.is_customer,
        cast(
            coalesce(
                lag(account_months.arr) over (
                    partition by account_months.account_id order by account_months.month_start_date
                ),
                0
            ) as {{ rwh_money_type() }}
        ) as opening_arr,
        account_months.arr as closing_arr,
        cast(coalesce(constant_currency.closing_arr_constant_currency, 0) as {{ rwh_money_type() }})
            as closing_arr_constant_currency,
        coalesce(
            lag(account_months.is_customer) over (
                partition by account_months.account_id order by account_months.month_start_date
            ),
            false
        ) as was_customer,
        coalesce(
            lag(account_months.has_quarantined_revenue) over (
                partition by account_months.account_id order by account_months.month_start_date
            ),
            false
        ) as had_quarantined_revenue,
        coalesce(
            lag(account_months.has_quarantined_arr) over (
                partition by account_months.account_id order by account_months.month_start_date
            ),
            false
        ) as had_quarantined_arr,
        account_months.has_quarantined_revenue as has_quarantined_revenue_at_closing,
        account_months.has_quarantined_arr as has_quarantined_arr_at_closing,
        max(case when account_months.arr > 0 then account_months.month_start_date end) over (
            partition by account_months.account_id
            order by account_months.month_start_date
            rows between unbounded preceding and 1 preceding
        ) as last_paid_month_start_date
    from account_months
    left join constant_currency
        on
            account_months.account_id = constant_currency.account_id
            and account_months.month_start_date = constant_currency.month_start_date

),

classified as (

    select
        sequenced.*,
        case
            when
                sequenced.opening_arr = 0 and sequenced.closing_arr_constant_currency > 0
                and sequenced.had_quarantined_arr
                then 'quarantined'
            when
                sequenced.opening_arr > 0 and sequenced.closing_arr_constant_currency = 0
                and sequenced.has_quarantined_arr_at_closing
                then 'quarantined'
            when sequenced.opening_arr = 0 and sequenced.closing_arr_constant_currency > 0
                then
                    case
                        when sequenced.last_paid_month_start_date is null then 'new'
                        when
                            {{ dbt.datediff('sequenced.last_paid_month_start_date', 'sequenced.month_start_date',
                                'month') }} - 1
                            > {{ var('reactivation_max_gap_months') }}
                            then 'new'
                        else 'reactivation'
                    end
            when sequenced.opening_arr > 0 and sequenced.closing_arr_constant_currency = 0 then 'churn'
            when sequenced.closing_arr_constant_currency > sequenced.opening_arr then 'expansion'
            when sequenced.closing_arr_constant_currency < sequenced.opening_arr then 'contraction'
            when sequenced.opening_arr > 0 then 'flat'
            else 'none'
        end as movement_type
    from sequenced

),

amounts as (

    select
        classified.*,
        cast({{ rwh_divide('classified.opening_arr', '12') }} as {{ rwh_money_type() }}) as opening_mrr,
        cast({{ rwh_divide('classified.closing_arr_constant_currency', '12') }} as {{ rwh_money_type() }})
            as closing_mrr_constant_currency,
        cast({{ rwh_divide('classified.closing_arr', '12') }} as {{ rwh_money_type() }}) as closing_mrr
    from classified

)

select
    amounts.account_month_id,
    amounts.account_id,
    amounts.month_start_date,
    amounts.movement_type,
    amounts.was_customer,
    amounts.is_customer,
    amounts.last_paid_month_start_date,
    amounts.had_quarantined_revenue or amounts.has_quarantined_revenue_at_closing as has_quarantined_revenue,
    amounts.opening_arr,
    cast(
        case
            when amounts.movement_type = 'new' then amounts.closing_arr_constant_currency
            else 0
        end
        as {{ rwh_money_type() }}
    ) as new_arr,
    cast(
        case
            when amounts.movement_type = 'expansion' then amounts.closing_arr_constant_currency - amounts.opening_arr
            else 0
        end
        as {{ rwh_money_type() }}
    ) as expansion_arr,
    cast(
        case
            when amounts.movement_type = 'reactivation' then amounts.closing_arr_constant_currency
            else 0
        end
        as {{ rwh_money_type() }}
    ) as reactivation_arr,
    cast(
        case
            when amounts.movement_type = 'contraction' then amounts.opening_arr - amounts.closing_arr_constant_currency
            else 0
        end
        as {{ rwh_money_type() }}
    ) as contraction_arr,
    cast(
        case
            when amounts.movement_type = 'churn' then amounts.opening_arr
            else 0
        end
        as {{ rwh_money_type() }}
    ) as churn_arr,
    cast(amounts.closing_arr - amounts.closing_arr_constant_currency as {{ rwh_money_type() }}) as fx_arr,
    cast(
        case
            when amounts.movement_type = 'quarantined' then amounts.closing_arr_constant_currency - amounts.opening_arr
            else 0
        end
        as {{ rwh_money_type() }}
    ) as quarantined_arr,
    amounts.closing_arr_constant_currency,
    amounts.closing_arr,
    amounts.opening_mrr,
    cast(
        case
            when amounts.movement_type = 'new' then amounts.closing_mrr_constant_currency
            else 0
        end
        as {{ rwh_money_type() }}
    ) as new_mrr,
    cast(
        case
            when amounts.movement_type = 'expansion' then amounts.closing_mrr_constant_currency - amounts.opening_mrr
            else 0
        end
        as {{ rwh_money_type() }}
    ) as expansion_mrr,
    cast(
        case
            when amounts.movement_type = 'reactivation' then amounts.closing_mrr_constant_currency
            else 0
        end
        as {{ rwh_money_type() }}
    ) as reactivation_mrr,
    cast(
        case
            when amounts.movement_type = 'contraction' then amounts.opening_mrr - amounts.closing_mrr_constant_currency
            else 0
        end
        as {{ rwh_money_type() }}
    ) as contraction_mrr,
    cast(
        case
            when amounts.movement_type = 'churn' then amounts.opening_mrr
            else 0
        end
        as {{ rwh_money_type() }}
    ) as churn_mrr,
    cast(amounts.closing_mrr - amounts.closing_mrr_constant_currency as {{ rwh_money_type() }}) as fx_mrr,
    cast(
        case
            when amounts.movement_type = 'quarantined' then amounts.closing_mrr_constant_currency - amounts.opening_mrr
            else 0
        end
        as {{ rwh_money_type() }}
    ) as quarantined_mrr,
    amounts.closing_mrr_constant_currency,
    amounts.closing_mrr
from amounts
