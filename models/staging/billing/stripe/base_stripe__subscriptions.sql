{#-
    One row per Stripe subscription: its current version (Fivetran history mode: the active version, else the
    latest) with the contract it makes (docs/sources/stripe.md). A subscription none of whose versions is
    active was deleted at the source: it ends where its last version says, else at the end of its period.
    When service ends follows var stripe_churn_recognition: 'end_of_service' (default: ended_at, the scheduled
    cancel_at, or the period end of a cancel_at_period_end) or 'cancellation' (the cancellation request, when
    earlier). excluded_reason names why a subscription makes no contract (test mode, never activated, no
    customer); the row ledger lists every version.
-#}
{%- set policy = var('stripe_churn_recognition') -%}
{%- if policy not in ('end_of_service', 'cancellation') -%}
    {{ exceptions.raise_compiler_error("var stripe_churn_recognition is '" ~ policy
        ~ "': use end_of_service or cancellation (docs/sources/stripe.md)") }}
{%- endif -%}

{%- set term_days = dbt.datediff('start_date', 'cast(term_ended_at as date)', 'day') -%}

with ranked as (

    select * from {{ ref('base_stripe__subscription_versions') }}

),

customers as (

    select
        cast(id as {{ dbt.type_string() }}) as customer_id,
        coalesce(cast(livemode as boolean), true) as is_customer_livemode,
        upper(cast(currency as {{ dbt.type_string() }})) as customer_currency,
        coalesce(
            {{ rwh_json_text('metadata', var('stripe_account_key')) }}, cast(id as {{ dbt.type_string() }})
        ) as account_id
    from {{ source('stripe', 'customer') }}

),

current_versions as (

    select
        ranked.*,
        ranked.active_versions = 0 as is_deleted,
        customers.account_id,
        customers.customer_currency,
        customers.is_customer_livemode,
        customers.customer_id is not null as has_customer,
        -- the first moment without service (exclusive end), per the churn-recognition policy
        coalesce(
            ranked.ended_at,
            ranked.cancel_at,
            case when ranked.is_cancel_at_period_end then ranked.current_period_end_at end,
            case when ranked.active_versions = 0 then ranked.current_period_end_at end
        ) as service_ended_at
    from ranked
    left join customers
        on ranked.customer_id = customers.customer_id
    where ranked.version_rank = 1

),

decided as (

    select
        current_versions.*,
        {% if policy == 'cancellation' -%}
            case
                when current_versions.canceled_at is not null
                    and current_versions.canceled_at < coalesce(
                        current_versions.service_ended_at, current_versions.canceled_at
                    )
                    then current_versions.canceled_at
                else current_versions.service_ended_at
            end
        {%- else -%}
            current_versions.service_ended_at
        {%- endif %} as churn_recognized_at,
        coalesce(
            current_versions.trial_end_at is not null
            and current_versions.service_ended_at is not null
            and current_versions.trial_end_at >= current_versions.service_ended_at,
            false
        ) as is_trial,
        case
            when not current_versions.is_livemode or not coalesce(current_versions.is_customer_livemode, true)
                then 'test_mode'
            when current_versions.status in ('incomplete', 'incomplete_expired') then 'never_activated'
            when not current_versions.has_customer then 'unknown_customer'
        end as excluded_reason
    from current_versions

),

dated as (

    select
        decided.*,
        cast(decided.created_at as date) as signed_date,
        -- a paid subscription that began with a trial starts when the trial ends: the trial is not revenue
        case
            when not decided.is_trial and decided.trial_end_at > decided.started_at
                then cast(decided.trial_end_at as date)
            else cast(decided.started_at as date)
        end as start_date,
        {{ dbt.dateadd('day', -1, 'cast(decided.churn_recognized_at as date)') }} as end_date,
        case when decided.is_trial then decided.service_ended_at else decided.cancel_at end as term_ended_at
    from decided

)

select
    subscription_id,
    customer_id,
    account_id,
    status,
    renews_subscription_id,
    customer_currency,
    is_trial,
    is_deleted,
    is_cancel_at_period_end,
    cancel_at,
    signed_date,
    start_date,
    cast(end_date as date) as end_date,
    -- a fixed term: scheduled from the start (cancel_at, not a cancellation at period end), in whole months;
    -- a trial's is its own length
    case
        when is_trial or (cancel_at is not null and not is_cancel_at_period_end)
            then cast(round({{ term_days }} / 30.4375) as {{ dbt.type_int() }})
    end as term_months,
    synced_at,
    excluded_reason
from dated
