{#- True for a base row the integrity step leaves as the base model decided it. -#}
{% macro rwh_integrity_kept(source_name, table_name) -%}
    {%- if rwh_has_integrity(source_name, table_name) -%}
        integrity.base_row_id is null
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
