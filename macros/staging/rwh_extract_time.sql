{#-
    The extract time: no raw row can have been loaded after it. var extract_time (a UTC timestamp), or by
    default the time this dbt run started. `rwh build` always sets it, to the one reference time its gate
    measures against (--reference-time, else the snapshot time the extract's manifest declares, else the clock
    at the start of the build), so a row loaded after the snapshot but before the run is future_date.
-#}
{% macro rwh_extract_time() -%}
    {%- set declared = var('extract_time', none) -%}
    {%- if declared -%}
        cast('{{ declared }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}
