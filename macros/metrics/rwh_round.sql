{#-
    Round half away from zero, the same on every engine. DuckDB divides decimals in double precision, so an
    exact tie such as 100 x 0.1829 / 0.4 = 45.725 arrives as 45.72499999... and rounded to 45.72 where
    PostgreSQL's exact numeric gives 45.73. A relative nudge of 1e-12 settles true ties upward (away from
    zero) and moves no value that is not within 1e-12 of a tie.
-#}
{% macro rwh_round(expression, digits) -%}
    {{ return(adapter.dispatch('rwh_round', 'renewal_warehouse')(expression, digits)) }}
{%- endmacro %}

{#- PostgreSQL: exact numeric (round() takes no precision for double precision). -#}
{% macro default__rwh_round(expression, digits) -%}
    round(cast({{ expression }} as numeric) * 1.000000000001, {{ digits }})
{%- endmacro %}

{#- DuckDB: its numeric is a bounded decimal; round the double with the nudge. -#}
{% macro duckdb__rwh_round(expression, digits) -%}
    round(({{ expression }}) * 1.000000000001, {{ digits }})
{%- endmacro %}

{#-
    Spark: `numeric` is decimal(10, 0) there (a cast to it drops every decimal), and decimal products lose
    scale past 38 digits; round the double with the nudge, as DuckDB does.
-#}
{% macro spark__rwh_round(expression, digits) -%}
    round(cast({{ expression }} as double) * 1.000000000001, {{ digits }})
{%- endmacro %}
