{#- The Monday of a week index (a SQL expression). -#}
{% macro rwh_week_start(week_index_expression) -%}
    cast({{ dbt.dateadd('day', '7 * (' ~ week_index_expression ~ ')', "cast('" ~ rwh_week_epoch() ~ "' as date)") }}
        as date)
{%- endmacro %}
