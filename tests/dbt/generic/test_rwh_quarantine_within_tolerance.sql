{#-
    Row-level problems are quarantined, but a systemic one must stop the build. Returns one row per
    tolerance breached: above quarantine_warn_share of the raw rows it warns, above
    quarantine_error_share it fails. Tables get an allowance of quarantine_min_rows rows first. The
    `problem` column says it in a sentence (rwh build prints it): the table, the rows and share, the rule
    broken most and an example key, and for the billing tables the ARR of the contract lines it takes away
    (staging.quarantined_contract_lines: their ARR summed over their terms). The ARR itself has its own tolerance
    (assert_quarantined_arr_within_tolerance): a large customer is only a handful of rows.
-#}
{% test rwh_quarantine_within_tolerance(model, source_name, table_name) %}
{{ config(warn_if='>=1', error_if='>=2') }}
{%- set revenue_table = source_name == 'billing' and table_name in ('contracts', 'contract_lines') %}

with raw_rows as (

    select count(*) as row_count from {{ rwh_raw(source_name, table_name) }}

),

quarantined_rows as (

    select *
    from {{ ref('quarantined_rows') }}
    where source_system = '{{ source_name }}' and source_table = '{{ table_name }}'

),

quarantined as (

    select count(*) as row_count
    from quarantined_rows

),

-- The rule broken most, with an example key.
top_reason as (

    select
        quarantine_reason,
        count(*) as row_count,
        min(source_key) as example_key,
        row_number() over (order by count(*) desc, quarantine_reason) as reason_rank
    from quarantined_rows
    group by 1

),

revenue as (

    {% if revenue_table -%}
        select
            count(*) as line_count,
            sum(arr) as arr,
            sum(case when is_priced then 0 else 1 end) as unpriced_line_count
        from {{ ref('quarantined_contract_lines') }}
        where contract_quarantine_reason is {{ 'not ' if table_name == 'contracts' }}null
    {%- else -%}
        select
            cast(null as {{ dbt.type_bigint() }}) as line_count,
            cast(null as {{ rwh_money_type() }}) as arr,
            cast(null as {{ dbt.type_bigint() }}) as unpriced_line_count
    {%- endif %}

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
        "'; most for '", 'top_reason.quarantine_reason', "' ('",
        'cast(top_reason.row_count as ' ~ dbt.type_string() ~ ')', "' rows, e.g. key '",
        "coalesce(top_reason.example_key, '')", "')'",
        "case when revenue.line_count > 0 then '; it takes away ' || cast(revenue.line_count as " ~ dbt.type_string()
            ~ ") || ' contract line(s), ARR ' || coalesce(cast(cast(revenue.arr as decimal(18, 2)) as "
            ~ dbt.type_string() ~ "), '0') || ' summed over their terms' else '' end",
        "case when revenue.unpriced_line_count > 0 then ' (and ' || cast(revenue.unpriced_line_count as "
            ~ dbt.type_string() ~ ") || ' line(s) that cannot be priced)' else '' end",
        "' (see staging.quarantined_rows for the reasons)'"
    ]) }} as problem,
    tolerances.level,
    tolerances.max_share,
    shares.quarantined_share,
    shares.quarantined_row_count,
    shares.raw_row_count,
    top_reason.quarantine_reason as top_quarantine_reason,
    top_reason.example_key,
    revenue.arr as quarantined_arr
from shares
cross join tolerances
cross join revenue
left join top_reason
    on top_reason.reason_rank = 1
where
    shares.quarantined_row_count > {{ var('quarantine_min_rows') }}
    and shares.quarantined_share > tolerances.max_share

{% endtest %}
