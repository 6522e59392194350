{#- The published slot ('blue', 'green', or none before the first publication). -#}
{% macro rwh_spark_published_slot() -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set databases = run_query("show databases like 'marts'").columns[0].values() | list -%}
    {%- if 'marts' not in databases -%}
        {{ return(none) }}
    {%- endif -%}
    {%- for row in run_query('describe database extended marts').rows -%}
        {%- if row[0] == 'Properties' and 'rwh.published_slot' in row[1] -%}
            {{ return('green' if 'rwh.published_slot,green' in row[1] else 'blue') }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}
