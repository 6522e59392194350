{#-
    Audit: what staging set aside, per raw table and reason, beside the table's raw row count: the rows,
    their share of the table, the first and last load that brought one, and one example row with its values
    (staging.quarantined_rows keeps every one). Review it after each extract; a reason whose share grows is
    a source system to call. The build fails above quarantine_error_share of a table (rwh_quarantine_within_tolerance).
-#}
{%- set present = rwh_source_systems() -%}
{%- set tables = rwh_raw_tables() | selectattr('system', 'in', present) | list -%}

with raw_counts as (

    {% for t in tables %}
        select
            '{{ t.system }}' as source_system,
            '{{ t.table }}' as source_table,
            count(*) as raw_row_count
        from {{ source(t.system, t.table) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

quarantined as (

    select * from {{ ref('quarantined_rows') }}

),

by_reason as (

    select
        source_system,
        source_table,
        quarantine_reason,
        count(*) as quarantined_row_count,
        min(_loaded_at) as first_loaded_at,
        max(_loaded_at) as last_loaded_at,
        min(quarantined_row_id) as example_quarantined_row_id
    from quarantined
    group by source_system, source_table, quarantine_reason

)

select
    by_reason.source_system,
    by_reason.source_table,
    by_reason.quarantine_reason,
    by_reason.quarantined_row_count,
    raw_counts.raw_row_count,
    cast(by_reason.quarantined_row_count as {{ dbt.type_numeric() }})
    / nullif(raw_counts.raw_row_count, 0) as quarantined_share,
    by_reason.first_loaded_at,
    by_reason.last_loaded_at,
    example.source_key as example_source_key,
    example.row_values as example_row_values
from by_reason
inner join raw_counts
    on
        by_reason.source_system = raw_counts.source_system
        and by_reason.source_table = raw_counts.source_table
inner join quarantined as example
    on by_reason.example_quarantined_row_id = example.quarantined_row_id
order by by_reason.source_system asc, by_reason.source_table asc, by_reason.quarantined_row_count desc
