{#-
    Finish a base model: takes a CTE with the typed columns, `row_hash` and `row_quarantine_reason`
    (the first row-level rule broken, or null) and decides what becomes of each raw row (docs/metrics.md
    section 1, "versions of a row"):

    - a row loaded after the extract time (`rwh_extract_time`: a load "in the future") is quarantined as
      'future_date' and takes no part in the versions, so it can move neither a key nor the as-of date;
    - the rows of a key's latest load (`_loaded_at`) are its current version; older loads are **superseded**
      (`is_superseded`: kept in the base table, counted, never staged), unless their content is the
      current one, when they are re-extracted copies (`is_duplicate`);
    - `quarantine_reason`: a null key or a null `_loaded_at` always; else, for the current version, the row-level
      reason, or 'conflicting_versions' when the latest load holds two different contents of the key (we cannot
      tell which is true, so every content of that load is quarantined);
    - `is_duplicate`: a copy of the current content (same load or an older one) beyond the first;
    - `is_staged`: the one row per key that staging keeps;
    - `base_row_id`: the row's identity (source key, content hash, copy number), unique per raw row.

    Conservation per table: raw = staged + deduplicated + superseded + quarantined.
    Emits the remaining CTEs and the final select.
-#}
{% macro rwh_flag_rows(from_cte, key_columns) -%}
    {%- set key = key_columns | join(', ') -%}
latest_loads as (

    select
        {{ from_cte }}.*,
        coalesce({{ from_cte }}._loaded_at > {{ rwh_extract_time() }}, false) as is_loaded_after_extract,
        coalesce(
            {{ from_cte }}._loaded_at = max(
                case when {{ from_cte }}._loaded_at <= {{ rwh_extract_time() }} then {{ from_cte }}._loaded_at end
            ) over (partition by {{ key }}),
            false
        ) as is_latest_load
    from {{ from_cte }}

),

windowed as (

    select
        latest_loads.*,
        min(case when is_latest_load then row_hash end) over (partition by {{ key }}) as min_row_hash,
        max(case when is_latest_load then row_hash end) over (partition by {{ key }}) as max_row_hash,
        row_number() over (partition by {{ key }}, row_hash order by _loaded_at desc) as copy_number
    from latest_loads

),

flagged as (

    select
        windowed.*,
        case
            when row_quarantine_reason = 'null_key' then row_quarantine_reason
            when _loaded_at is null then 'null_date'
            when is_loaded_after_extract then 'future_date'
            when not is_latest_load then null
            when row_quarantine_reason is not null then row_quarantine_reason
            when min_row_hash != max_row_hash then 'conflicting_versions'
        end as quarantine_reason
    from windowed

),

versioned as (

    select
        flagged.*,
        quarantine_reason is null
        and not is_latest_load
        and (min_row_hash != max_row_hash or row_hash != min_row_hash) as is_superseded
    from flagged

),

decided as (

    select
        versioned.*,
        quarantine_reason is null and not is_superseded and copy_number > 1 as is_duplicate
    from versioned

)

select
    {{ dbt.hash(rwh_key_string(key_columns) ~ " || '|' || row_hash || '|' || cast(copy_number as " ~ dbt.type_string()
        ~ ")") }}
        as base_row_id,
    decided.*,
    quarantine_reason is null and not is_superseded and not is_duplicate as is_staged
from decided
{%- endmacro %}
