{#- True when a (non-null) value is not one of the column's accepted values. -#}
{% macro rwh_not_accepted(source_name, table_name, column_name, expression) -%}
    ({{ expression }} is not null
        and {{ expression }} not in {{ rwh_accepted_values(source_name, table_name, column_name) }})
{%- endmacro %}
