{#- Every column of a relation except the listed ones (a dependency-free dbt_utils.star). -#}
{% macro rwh_star(relation, except=[]) -%}
    {%- if not execute -%}
        {{ return('*') }}
    {%- endif -%}
    {%- set excluded = except | map('lower') | list -%}
    {%- for column in adapter.get_columns_in_relation(relation) if column.name | lower not in excluded -%}
        {{ adapter.quote(column.name) }}{{ ",\n        " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#- The audit columns a base model adds, which staged tables do not carry. -#}
{% macro rwh_audit_columns() -%}
    {{ return(['base_row_id', 'row_hash', 'row_quarantine_reason', 'min_row_hash', 'max_row_hash', 'copy_number', 'quarantine_reason', 'is_duplicate']) }}
{%- endmacro %}
