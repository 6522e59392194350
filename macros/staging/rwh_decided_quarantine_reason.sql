{#- The reason a base row is quarantined for, after the integrity step (null when it is not). -#}
{% macro rwh_decided_quarantine_reason(source_name, table_name, base_alias) -%}
    {%- if rwh_has_integrity(source_name, table_name) -%}
        coalesce(integrity.quarantine_reason, {{ base_alias }}.quarantine_reason)
    {%- else -%}
        {{ base_alias }}.quarantine_reason
    {%- endif -%}
{%- endmacro %}
