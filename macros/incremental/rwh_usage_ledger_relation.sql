{#- The ledger the last published build left: the published relation of base_product__usage_daily_ledger
    (schema staging without the shadow or slot suffix a build writes into), or none. -#}
{% macro rwh_usage_ledger_relation() -%}
    {{ return(adapter.get_relation(database=this.database, schema='staging',
                                   identifier='base_product__usage_daily_ledger')) }}
{%- endmacro %}
