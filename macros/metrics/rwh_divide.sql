{#-
    numerator / denominator as DuckDB computes it. DuckDB divides decimals in double precision and PostgreSQL
    exactly; Spark's decimal division keeps only 6 decimals once the operands are wide (decimal(38, 6) /
    decimal(38, 6) is decimal(38, 6)), which moved an FX ratio times a large amount by up to $0.13. On Spark
    both operands become doubles, so the quotient is DuckDB's to the last bit.
-#}
{% macro rwh_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('rwh_divide', 'renewal_warehouse')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__rwh_divide(numerator, denominator) -%}
    ({{ numerator }}) / ({{ denominator }})
{%- endmacro %}

{% macro spark__rwh_divide(numerator, denominator) -%}
    cast({{ numerator }} as double) / cast({{ denominator }} as double)
{%- endmacro %}
