{#-
    A raw amount in major units (the CRM's money, decimal(18, 2) in the contract), exact to the cent and
    wide enough to be multiplied by a rate: DuckDB keeps decimal(18, 2) x decimal(18, 8) at width 18, which
    overflows above about 99,999,999.99.
-#}
{% macro rwh_major_amount_type() -%}
    decimal(38, 2)
{%- endmacro %}
