{#-
    Finish a base model: takes a CTE with the typed columns, `row_hash` and `row_quarantine_reason`
    (the first row-level rule broken, or null) and adds

    - `quarantine_reason`: the row-level reason, else 'conflicting_versions' when valid rows share a key
      but differ in content (we cannot tell which is true, so every version is quarantined);
    - `is_duplicate`: a valid row identical to an earlier-loaded one (it is dropped, and counted);
    - `base_row_id`: the row's identity (source key, content hash, copy number), unique per raw row.

    Emits the remaining CTEs and the final select.
-#}
{% macro rwh_flag_rows(from_cte, key_columns) -%}
    {%- set key = key_columns | join(', ') -%}
windowed as (

    select
        {{ from_cte }}.*,
        min(row_hash) over (partition by {{ key }}, row_quarantine_reason) as min_row_hash,
        max(row_hash) over (partition by {{ key }}, row_quarantine_reason) as max_row_hash,
        row_number() over (partition by {{ key }}, row_hash order by _loaded_at) as copy_number
    from {{ from_cte }}

),

flagged as (

    select
        windowed.*,
        case
            when row_quarantine_reason is not null then row_quarantine_reason
            when min_row_hash != max_row_hash then 'conflicting_versions'
        end as quarantine_reason
    from windowed

)

select
    {{ dbt.hash(rwh_key_string(key_columns) ~ " || '|' || row_hash || '|' || cast(copy_number as " ~ dbt.type_string() ~ ")") }}
        as base_row_id,
    flagged.*,
    quarantine_reason is null and copy_number > 1 as is_duplicate
from flagged
{%- endmacro %}
