{#-
    Every row a vendor adapter reads is in its row ledger exactly once, mapped or excluded with a reason
    (docs/sources/README.md): per vendor table, the source's rows equal the ledger's. Together with each base
    model's conservation test (raw = staged + deduplicated + superseded + quarantined, on the adapter's
    contract rows), nothing a loader landed is lost. Runs when RWH_SOURCE_FORMATS names a vendor.
-#}
{{ config(enabled=rwh_source_formats() | length > 0) }}
{%- set declared = rwh_source_formats().values() | list -%}
{%- set vendors = rwh_vendors() | selectattr('vendor', 'in', declared) | list -%}

with source_rows as (

    {% for v in vendors %}
        {% for t in v.tables %}
            select
                '{{ v.vendor }}' as vendor,
                '{{ t }}' as vendor_table,
                count(*) as source_row_count
            from {{ source(v.vendor, t) }}
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

ledger_rows as (

    {% for v in vendors %}
        select
            vendor,
            vendor_table,
            count(*) as ledger_row_count
        from {{ ref('adapt_' ~ v.vendor ~ '__row_ledger') }}
        group by vendor, vendor_table
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select
    source_rows.vendor,
    source_rows.vendor_table,
    source_rows.source_row_count,
    coalesce(ledger_rows.ledger_row_count, 0) as ledger_row_count
from source_rows
left join ledger_rows
    on
        source_rows.vendor = ledger_rows.vendor
        and source_rows.vendor_table = ledger_rows.vendor_table
where source_rows.source_row_count != coalesce(ledger_rows.ledger_row_count, 0)
