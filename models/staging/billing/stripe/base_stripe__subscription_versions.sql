{#-
    Every row of Stripe's subscription_history (Fivetran history mode: one row per version of a subscription),
    typed, with its rank among its subscription's versions: 1 for the version that counts (the active one, else
    the latest by _fivetran_start, then _fivetran_synced). active_versions = 0 means the subscription was
    deleted at the source. The row ledger lists every version; base_stripe__subscriptions keeps rank 1.
-#}
{%- set history = source('stripe', 'subscription_history') -%}
with history as (

    select
        cast(id as {{ dbt.type_string() }}) as subscription_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        lower(cast(status as {{ dbt.type_string() }})) as status,
        cast(created as {{ dbt.type_timestamp() }}) as created_at,
        cast(start_date as {{ dbt.type_timestamp() }}) as started_at,
        cast(cancel_at as {{ dbt.type_timestamp() }}) as cancel_at,
        coalesce(cast(cancel_at_period_end as boolean), false) as is_cancel_at_period_end,
        cast(canceled_at as {{ dbt.type_timestamp() }}) as canceled_at,
        cast(ended_at as {{ dbt.type_timestamp() }}) as ended_at,
        cast(current_period_end as {{ dbt.type_timestamp() }}) as current_period_end_at,
        cast(trial_end as {{ dbt.type_timestamp() }}) as trial_end_at,
        coalesce(cast(livemode as boolean), true) as is_livemode,
        {{ rwh_json_text('metadata', var('stripe_renews_key')) }} as renews_subscription_id,
        coalesce(cast(_fivetran_active as boolean), true) as is_active_version,
        cast(
            {{ rwh_optional_column(history, '_fivetran_start', dbt.type_timestamp()) }}
            as {{ dbt.type_timestamp() }}
        ) as version_started_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from {{ history }}

),

ranked as (

    select
        history.*,
        {{ rwh_version_rank('subscription_id') }} as version_rank,
        {{ rwh_active_versions('subscription_id') }} as active_versions
    from history

)

select * from ranked
