{#- The Monday week index 0 stands for (ISO date). -#}
{% macro rwh_week_epoch() -%}
    {{ return('1970-01-05') }}
{%- endmacro %}
