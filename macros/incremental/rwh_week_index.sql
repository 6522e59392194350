{#- The week index of a date (weeks since rwh_week_epoch(); the date's Monday has the same index). -#}
{% macro rwh_week_index(date_expression) -%}
    cast(floor({{ dbt.datediff("cast('" ~ rwh_week_epoch() ~ "' as date)", date_expression, 'day') }} / 7.0) as bigint)
{%- endmacro %}
