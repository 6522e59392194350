{#- Join condition finding the benchmark band a value falls in (lower bound inclusive, upper exclusive,
    null = open). -#}
{% macro rwh_band_join(bands_alias, metric, value) -%}
    {{ bands_alias }}.metric = '{{ metric }}'
    and ({{ bands_alias }}.lower_bound is null or {{ value }} >= {{ bands_alias }}.lower_bound)
    and ({{ bands_alias }}.upper_bound is null or {{ value }} < {{ bands_alias }}.upper_bound)
{%- endmacro %}
