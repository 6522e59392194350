{#-
    billing.contract_lines from Stripe: each subscription item that is not excluded is a line from the later of
    its subscription's start and its own creation to its subscription's end (docs/sources/stripe.md). A
    discount that runs for part of the line (a repeating coupon, one that starts or ends mid-term) splits it:
    the list price before, the net price while it runs, the list price after. The first segment keeps the
    item's id, a later one is the item's id, '~' and its start date. A term price is the price of the whole
    line, so it is not split: a discount running on the line's first day nets all of it. A trial's lines are
    free. Columns and types as the contract's.
-#}
{%- set later_segment_id = dbt.concat(
    ["numbered.item_id", "'~'", "cast(numbered.segment_start_date as " ~ dbt.type_string() ~ ")"]
) -%}

with items as (

    select
        base.*,
        not base.is_trial
        and base.billing_period != 'term'
        and base.discount_id is not null
        and (base.discount_end_date is null or base.discount_end_date > base.discount_start_date)
        and (base.discount_end_date is null or base.discount_end_date > base.line_start_date)
        and (base.line_end_date is null or base.discount_start_date <= base.line_end_date) as has_discount_window,
        base.discount_id is not null
        and base.discount_start_date <= base.line_start_date
        and (base.discount_end_date is null or base.discount_end_date > base.line_start_date)
            as is_discounted_from_start
    from {{ ref('base_stripe__items') }} as base
    where base.excluded_reason is null

),

segments as (

    -- no discount window: the whole line, at the list price (free in a trial)
    select
        items.*,
        items.line_start_date as segment_start_date,
        items.line_end_date as segment_end_date,
        case
            when items.is_trial then 0
            when items.billing_period = 'term' and items.is_discounted_from_start then items.discounted_net_price_minor
            else items.unit_list_price_minor
        end as segment_net_price_minor
    from items
    where not items.has_discount_window

    union all

    -- before the discount starts
    select
        items.*,
        items.line_start_date as segment_start_date,
        cast({{ dbt.dateadd('day', -1, 'items.discount_start_date') }} as date) as segment_end_date,
        items.unit_list_price_minor as segment_net_price_minor
    from items
    where items.has_discount_window and items.discount_start_date > items.line_start_date

    union all

    -- while it runs
    select
        items.*,
        case
            when items.discount_start_date > items.line_start_date then items.discount_start_date
            else items.line_start_date
        end as segment_start_date,
        case
            when items.discount_end_date is null then items.line_end_date
            when
                items.line_end_date is not null and items.line_end_date < items.discount_end_date
                then items.line_end_date
            else cast({{ dbt.dateadd('day', -1, 'items.discount_end_date') }} as date)
        end as segment_end_date,
        items.discounted_net_price_minor as segment_net_price_minor
    from items
    where items.has_discount_window

    union all

    -- after it ends
    select
        items.*,
        items.discount_end_date as segment_start_date,
        items.line_end_date as segment_end_date,
        items.unit_list_price_minor as segment_net_price_minor
    from items
    where
        items.has_discount_window
        and items.discount_end_date is not null
        and (items.line_end_date is null or items.discount_end_date <= items.line_end_date)

),

numbered as (

    select
        segments.*,
        row_number() over (partition by segments.item_id order by segments.segment_start_date) as segment_number
    from segments

)

select
    case
        when numbered.segment_number = 1 then numbered.item_id
        else {{ later_segment_id }}
    end as contract_line_id,
    numbered.subscription_id as contract_id,
    numbered.product_id,
    numbered.quantity,
    numbered.unit_list_price_minor,
    numbered.segment_net_price_minor as unit_net_price_minor,
    numbered.billing_period,
    numbered.currency,
    numbered.segment_start_date as start_date,
    numbered.segment_end_date as end_date,
    numbered.synced_at as _loaded_at
from numbered
