{#-
    Conservation (docs/metrics.md invariant 6): every raw row of a source table (or of the vendor adapter's
    table that replaces it, macro rwh_raw) is staged, deduplicated,
    superseded by a later version of its key, or quarantined with a reason. Fails with the five counts
    when they do not add up.
-#}
{% test rwh_conservation(model, source_name, table_name) %}

with raw_rows as (

    select count(*) as row_count from {{ rwh_raw(source_name, table_name) }}

),

staged_rows as (

    select count(*) as row_count from {{ model }}

),

deduplicated_rows as (

    {#- A copy the integrity step quarantines (a duplicate of a row with an unknown account) is quarantined. #}
    select count(*) as row_count
    from {{ ref('base_' ~ source_name ~ '__' ~ table_name) }} as base
    {{ rwh_integrity_join(source_name, table_name, 'base') }}
    where base.is_duplicate and {{ rwh_integrity_kept(source_name, table_name) }}

),

superseded_rows as (

    select count(*) as row_count
    from {{ ref('base_' ~ source_name ~ '__' ~ table_name) }}
    where is_superseded

),

quarantined as (

    select count(*) as row_count
    from {{ ref('quarantined_rows') }}
    where source_system = '{{ source_name }}' and source_table = '{{ table_name }}'

)

select
    {{ dbt.concat([
        "'" ~ source_name ~ "." ~ table_name ~ ": '",
        'cast(raw_rows.row_count as ' ~ dbt.type_string() ~ ')',
        "' raw rows, but '",
        'cast(staged_rows.row_count + deduplicated_rows.row_count + superseded_rows.row_count'
            ~ ' + quarantined.row_count as ' ~ dbt.type_string() ~ ')',
        "' are staged, deduplicated, superseded or quarantined: rows were lost or counted twice'"
    ]) }} as problem,
    raw_rows.row_count as raw_row_count,
    staged_rows.row_count as staged_row_count,
    deduplicated_rows.row_count as deduplicated_row_count,
    superseded_rows.row_count as superseded_row_count,
    quarantined.row_count as quarantined_row_count
from raw_rows
cross join staged_rows
cross join deduplicated_rows
cross join superseded_rows
cross join quarantined
where
    raw_rows.row_count
    != staged_rows.row_count + deduplicated_rows.row_count + superseded_rows.row_count + quarantined.row_count

{% endtest %}
