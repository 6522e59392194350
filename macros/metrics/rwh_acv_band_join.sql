{#-
    Join condition finding the ref_acv_bands band of a customer's ARR amount (min inclusive, max exclusive,
    null = open): a customer at $0 (fully discounted) falls in the lowest band, which starts at 0. An
    account that is not a customer at that moment has no band: leave it out of the join.
-#}
{% macro rwh_acv_band_join(bands_alias, arr) -%}
    {{ arr }} >= {{ bands_alias }}.min_acv
    and ({{ bands_alias }}.max_acv is null or {{ arr }} < {{ bands_alias }}.max_acv)
{%- endmacro %}
