{#- Whole seconds since 1970-01-01 00:00 UTC of a timestamp expression (a number; a fraction of a second is dropped,
    as Spark's unix_timestamp drops it, so every engine splits sessions and counts minutes alike): floor(extract(
    epoch ...)) on DuckDB and PostgreSQL, unix_timestamp on Spark. The difference of two is the seconds elapsed
    between them, which datediff('second') is not everywhere (some engines count boundaries). -#}
{% macro rwh_epoch_seconds(expression) -%}
    {{ return(adapter.dispatch('rwh_epoch_seconds', 'renewal_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__rwh_epoch_seconds(expression) -%}
    floor(extract(epoch from {{ expression }}))
{%- endmacro %}

{% macro spark__rwh_epoch_seconds(expression) -%}
    unix_timestamp({{ expression }})
{%- endmacro %}
