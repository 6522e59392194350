{#-
    Every raw row that broke a staging rule, with the table it came from, its source key and the reason: the
    base model's own rules, or the integrity step's (models/staging/_integrity/: a reference to a row that is
    not staged, a missing FX rate), whichever wins (macros/staging/rwh_integrity_check.sql).
    Nothing is dropped silently: raw rows = staged + deduplicated + superseded + quarantined, tested per
    table. Only the source systems present (RWH_SOURCE_SYSTEMS) have raw tables.
-#}
{%- set present = rwh_source_systems() -%}
{%- set tables = rwh_raw_tables() | selectattr('system', 'in', present) | list -%}

with

{% for t in tables %}
    {{ t.system }}__{{ t.table }} as (

        select
            '{{ t.system }}' as source_system,
            '{{ t.table }}' as source_table,
            {{ rwh_key_string(t.key) }} as source_key,
            {{ rwh_decided_quarantine_reason(t.system, t.table, 'base') }} as quarantine_reason,
            {{ rwh_row_values(t.system, t.table) }} as row_values,
            base.base_row_id,
            base.row_hash,
            base._loaded_at
        from {{ ref('base_' ~ t.system ~ '__' ~ t.table) }} as base
        {{ rwh_integrity_join(t.system, t.table, 'base') }}
        where {{ rwh_decided_quarantine_reason(t.system, t.table, 'base') }} is not null

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
        {{ dbt.hash(dbt.concat(['source_system', "'.'", 'source_table', "'|'", 'base_row_id'])) }}
            as quarantined_row_id,
        unioned.*
    from unioned

)

select * from keyed
