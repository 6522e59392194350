{#- A source key as one string: parts cast to text, a null part empty, joined with '|'. -#}
{% macro rwh_key_string(key_columns) -%}
    {%- set parts = [] -%}
    {%- for k in key_columns -%}
        {%- do parts.append("coalesce(cast(" ~ k ~ " as " ~ dbt.type_string() ~ "), '')") -%}
    {%- endfor -%}
    {{ parts | join(" || '|' || ") }}
{%- endmacro %}
