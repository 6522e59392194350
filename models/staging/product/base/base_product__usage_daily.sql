{#-
    The raw usage rows that need a decision, and only those: the largest table by far is never copied.
    One pass over the raw rows computes a cheap key hash (rwh_key_hash) and the first row-level rule a
    row breaks; a GROUP BY on the hash finds the keys loaded more than once, holding a row that breaks a
    rule, or loaded after the extract time. Every raw row of those hashes (a hash collision only adds a
    few rows) is typed here, with its content hash, and decided by its real key as every base model
    decides (rwh_flag_rows: versions, duplicates, conflicts, quarantine). Every other raw row is a key
    loaded once that breaks no rule: stg_product__usage_daily stages it straight from the raw table.
    Conservation still counts every raw row: raw = staged + deduplicated + superseded + quarantined.
    Incremental by day (macros/incremental/rwh_usage_changed_periods.sql): every row of a key has the key's day, so
    a run decides again only the days that rows loaded since its last run (decided_as_of) can change, and
    the rows without a day (always quarantined as null_key), which it deletes and decides again every run.
    On Spark the table also has usage_month, its partition: a run decides whole months there (docs/spark.md).
-#}
{%- set changed_days = rwh_usage_changed_periods('day', 'decisions') -%}
{%- set in_scope -%}
    {%- if is_incremental() -%}
        ({{ rwh_date_in('cast(raw_usage.usage_date as date)', changed_days) }} or raw_usage.usage_date is null)
    {%- else -%}
        true
    {%- endif -%}
{%- endset -%}
{{ config(
    materialized='incremental',
    incremental_strategy=rwh_incremental_strategy(),
    unique_key='usage_date',
    partition_by=rwh_partition_by('usage_date'),
    on_schema_change='fail',
    pre_hook="{{ rwh_delete_periods('usage_date', rwh_usage_changed_periods('day', 'decisions', say=false),"
        ~ " null_too=true) }}",
) }}
{%- set key_hash = rwh_usage_daily_key_hash('raw_usage') -%}
{%- set row_rule -%}
    case
        when raw_usage.account_id is null or raw_usage.user_id is null or raw_usage.usage_date is null then 'null_key'
        when accounts.known_account_id is null then 'unknown_account'
        when
            raw_usage.sessions < 0
            or raw_usage.core_feature_events < 0
            or raw_usage.other_feature_events < 0
            then 'out_of_range'
        when raw_usage.active_minutes < 0 or raw_usage.active_minutes > 1440 then 'out_of_range'
        when
            cast(raw_usage.usage_date as {{ dbt.type_timestamp() }})
            > cast(raw_usage._loaded_at as {{ dbt.type_timestamp() }})
            then 'future_date'
    end
{%- endset -%}

with accounts as (

    select account_id as known_account_id from {{ rwh_known_accounts() }} as known_accounts

),

checked as (

    select
        {{ key_hash }} as key_hash,
        {{ row_rule }} as row_quarantine_reason,
        cast(raw_usage._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at
    from {{ rwh_raw('product', 'usage_daily') }} as raw_usage
    left join accounts
        on cast(raw_usage.account_id as {{ dbt.type_string() }}) = accounts.known_account_id
    where {{ in_scope }}

),

latest_load as (

    {#- The latest raw load this run reads (not after the extract time): the watermark it leaves. The loads
        since the last run are all in scope on an incremental run, so this is the latest of every load. #}
    select max(case when _loaded_at <= {{ rwh_extract_time() }} then _loaded_at end) as decided_as_of
    from checked

),

flagged_keys as (

    select key_hash
    from checked
    group by key_hash
    having
        count(*) > 1
        or count(row_quarantine_reason) > 0
        or sum(case when _loaded_at is null or _loaded_at > {{ rwh_extract_time() }} then 1 else 0 end) > 0

),

candidates as (

    select
        {{ rwh_usage_daily_columns('raw_usage') | indent(8) }},
        flagged_keys.key_hash,
        {{ rwh_row_hash('product', 'usage_daily') }} as row_hash,
        {{ row_rule }} as row_quarantine_reason,
        -- noqa: disable=LT02
        latest_load.decided_as_of{{ rwh_partition_column('usage_date', 'cast(raw_usage.usage_date as date)') }}
        -- noqa: enable=LT02
    from {{ rwh_raw('product', 'usage_daily') }} as raw_usage
    inner join flagged_keys
        on {{ key_hash }} = flagged_keys.key_hash
    cross join latest_load
    left join accounts
        on cast(raw_usage.account_id as {{ dbt.type_string() }}) = accounts.known_account_id
    where {{ in_scope }}

),

{{ rwh_flag_rows('candidates', ['account_id', 'user_id', 'usage_date']) }}
