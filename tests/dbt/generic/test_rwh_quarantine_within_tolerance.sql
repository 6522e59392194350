{#-
    Row-level problems are quarantined, but a systemic one must stop the build. Returns one row per
    tolerance breached: above quarantine_warn_share of the raw rows it warns, above
    quarantine_error_share it fails. Tables get an allowance of quarantine_min_rows rows first. The
    `problem` column says it in a sentence (rwh build prints it).
-#}
{% test rwh_quarantine_within_tolerance(model, source_name, table_name) %}
{{ config(warn_if='>=1', error_if='>=2') }}

with raw_rows as (

    select count(*) as row_count from {{ source(source_name, table_name) }}

),

quarantined as (

    select count(*) as row_count
    from {{ ref('quarantined_rows') }}
    where source_system = '{{ source_name }}' and source_table = '{{ table_name }}'

),

shares as (

    select
        quarantined.row_count as quarantined_row_count,
        raw_rows.row_count as raw_row_count,
        cast(quarantined.row_count as {{ rwh_double_type() }})
            / nullif(raw_rows.row_count, 0) as quarantined_share
    from raw_rows
    cross join quarantined

),

tolerances as (

    select 'error' as level, {{ var('quarantine_error_share') }} as max_share
    union all
    select 'warn' as level, {{ var('quarantine_warn_share') }} as max_share

)

select
    {{ dbt.concat([
        "'" ~ source_name ~ "." ~ table_name ~ ": '",
        'cast(shares.quarantined_row_count as ' ~ dbt.type_string() ~ ')',
        "' of '",
        'cast(shares.raw_row_count as ' ~ dbt.type_string() ~ ')',
        "' raw rows quarantined, above the '",
        'tolerances.level',
        "' share of '",
        'cast(tolerances.max_share as ' ~ dbt.type_string() ~ ')',
        "' (see staging.quarantined_rows for the reasons)'"
    ]) }} as problem,
    tolerances.level,
    tolerances.max_share,
    shares.quarantined_share,
    shares.quarantined_row_count,
    shares.raw_row_count
from shares
cross join tolerances
where
    shares.quarantined_row_count > {{ var('quarantine_min_rows') }}
    and shares.quarantined_share > tolerances.max_share

{% endtest %}
