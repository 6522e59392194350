{#- dbt's cast(), used by the contract check (get_empty_schema_sql), with the YAML type translated. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ rwh_column_type(type) }})
{%- endmacro %}
