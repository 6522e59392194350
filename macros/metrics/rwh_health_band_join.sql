{#- Join condition finding the ref_health_bands band of a 0-100 score (min inclusive, max exclusive, 100 inclusive). -#}
{% macro rwh_health_band_join(bands_alias, score) -%}
    {{ score }} >= {{ bands_alias }}.min_score
    and ({{ score }} < {{ bands_alias }}.max_score or ({{ bands_alias }}.max_score >= 100 and {{ score }} <= 100))
{%- endmacro %}
