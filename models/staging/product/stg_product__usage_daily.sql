{#-
    Staged usage: the raw rows of keys loaded once that break no rule, read straight from the raw table
    (no copy), and the staged rows of the keys base_product__usage_daily had to decide.
    The base table is read by two CTEs rather than through one shared CTE (DuckDB materializes a CTE used
    twice, and that plan could not spill), and the keys are left out with rwh_anti_join: both kept the
    user-week aggregation over this view within a 5 GB memory limit at 10,000 and 100,000 accounts.
-#}
with decided_keys as (

    select distinct key_hash from {{ ref('base_product__usage_daily') }}

),

single_rows as (

    select
        {{ rwh_usage_daily_columns('raw_usage') | indent(8) }}
    from {{ rwh_raw('product', 'usage_daily') }} as raw_usage
    {{ rwh_anti_join('decided_keys', 'decided_keys.key_hash = ' ~ rwh_usage_daily_key_hash('raw_usage')) }}

),

decided_rows as (

    select
        account_id,
        user_id,
        usage_date,
        sessions,
        active_minutes,
        core_feature_events,
        other_feature_events,
        _loaded_at
    from {{ ref('base_product__usage_daily') }}
    where is_staged

)

select * from single_rows
union all
select * from decided_rows
