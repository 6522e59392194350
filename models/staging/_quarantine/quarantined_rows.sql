{#-
    Every raw row that broke a staging rule, with the table it came from, its source key and the reason.
    Nothing is dropped silently: raw rows = staged + deduplicated + quarantined, tested per table.
-#}
{%- set tables = rwh_raw_tables() -%}

with

{% for t in tables %}
    {{ t.system }}__{{ t.table }} as (

        select
            '{{ t.system }}' as source_system,
            '{{ t.table }}' as source_table,
            {%- set key_parts = [] -%}
            {%- for k in t.key -%}
                {%- do key_parts.append("coalesce(cast(" ~ k ~ " as " ~ dbt.type_string() ~ "), '')") -%}
            {%- endfor %}
            {{ key_parts | join(" || '|' || ") }} as source_key,
            quarantine_reason,
            row_hash,
            _loaded_at
        from {{ ref('base_' ~ t.system ~ '__' ~ t.table) }}
        where quarantine_reason is not null

    ),

{% endfor %}

unioned as (

    {% for t in tables %}
        select * from {{ t.system }}__{{ t.table }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

keyed as (

    select
        {{ dbt.hash(dbt.concat([
            'source_system', "'.'", 'source_table', "'|'", 'source_key', "'|'", 'row_hash', "'|'",
            'cast(row_number() over (partition by source_system, source_table, source_key, row_hash order by _loaded_at) as '
            ~ dbt.type_string() ~ ')'
        ])) }} as quarantined_row_id,
        unioned.*
    from unioned

)

select * from keyed
