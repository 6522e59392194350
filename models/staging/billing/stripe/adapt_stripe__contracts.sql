{#-
    billing.contracts from Stripe: one contract per subscription that is not excluded (docs/sources/stripe.md).
    Its type: a subscription that never leaves its trial is a trial; one whose metadata names the subscription
    it renews (var stripe_renews_key) is that one's renewal; else, against the account's earlier paid
    subscriptions: none is new business, one still running or ended at most renewal_grace_days before this
    start makes a renewal (staging matches its predecessor), a longer gap a reactivation. Stripe has no
    amendments: an item added mid-term is a line of the same contract. Columns and types as the contract's.
-#}
with subscriptions as (

    select * from {{ ref('base_stripe__subscriptions') }}
    where excluded_reason is null

),

item_currencies as (

    select
        subscription_id,
        min(currency) as currency
    from {{ ref('base_stripe__items') }}
    where excluded_reason is null
    group by subscription_id

),

sequenced as (

    select
        subscriptions.*,
        count(case when not subscriptions.is_trial then 1 end) over earlier as earlier_paid_count,
        max(case when not subscriptions.is_trial and subscriptions.end_date is null then 1 else 0 end)
            over earlier as has_earlier_open,
        max(case when not subscriptions.is_trial then subscriptions.end_date end) over earlier as earlier_end_date
    from subscriptions
    window earlier as (
        partition by subscriptions.account_id
        order by subscriptions.start_date, subscriptions.subscription_id
        rows between unbounded preceding and 1 preceding
    )

),

typed as (

    select
        sequenced.subscription_id as contract_id,
        sequenced.account_id,
        case
            when sequenced.is_trial then 'trial'
            when sequenced.renews_subscription_id is not null then 'renewal'
            when sequenced.earlier_paid_count = 0 then 'new'
            when
                sequenced.has_earlier_open = 1
                or sequenced.start_date
                <= {{ dbt.dateadd('day', var('renewal_grace_days') + 1, 'sequenced.earlier_end_date') }}
                then 'renewal'
            else 'reactivation'
        end as contract_type,
        sequenced.renews_subscription_id as predecessor_contract_id,
        cast(null as {{ dbt.type_string() }}) as amends_contract_id,
        coalesce(item_currencies.currency, sequenced.customer_currency) as currency,
        sequenced.signed_date,
        sequenced.start_date,
        sequenced.end_date,
        sequenced.term_months,
        sequenced.synced_at as _loaded_at
    from sequenced
    left join item_currencies
        on sequenced.subscription_id = item_currencies.subscription_id

)

select
    contract_id,
    account_id,
    contract_type,
    predecessor_contract_id,
    amends_contract_id,
    currency,
    signed_date,
    start_date,
    end_date,
    term_months,
    _loaded_at
from typed
