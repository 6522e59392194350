{#-
    The text value under `key` of a JSON object held in a text column (vendors keep metadata so: Stripe's
    metadata, HubSpot's properties), null when the key is absent; on each engine with its own JSON function.
-#}
{% macro rwh_json_text(column, key) -%}
    {{ return(adapter.dispatch('rwh_json_text', 'renewal_warehouse')(column, key)) }}
{%- endmacro %}

{% macro default__rwh_json_text(column, key) -%}
    json_extract_string({{ column }}, '$."{{ key }}"')
{%- endmacro %}

{% macro postgres__rwh_json_text(column, key) -%}
    (cast({{ column }} as jsonb) ->> '{{ key }}')
{%- endmacro %}

{% macro spark__rwh_json_text(column, key) -%}
    get_json_object({{ column }}, '$.{{ key }}')
{%- endmacro %}
