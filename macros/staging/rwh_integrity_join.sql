{#-
    The base rows of a raw table that its integrity model quarantines, as an anti-join condition:
    `left join` it on base_row_id and keep the rows where it is null (rwh_integrity_join + rwh_integrity_kept).
-#}
{% macro rwh_integrity_join(source_name, table_name, base_alias) -%}
    {%- if rwh_has_integrity(source_name, table_name) -%}
    left join {{ ref('integrity_' ~ source_name ~ '__' ~ table_name) }} as integrity
        on {{ base_alias }}.base_row_id = integrity.base_row_id
    {%- endif -%}
{%- endmacro %}
