{#-
    The weighted mean of the values that are not null: names fill the `{}` of both templates, e.g.
    rwh_weighted_mean(['usage', 'support'], 'scores.{}_score', 'weights.{}_weight'). Null when every value is.
-#}
{% macro rwh_weighted_mean(names, value_template, weight_template) -%}
    {%- set numeric = dbt.type_numeric() -%}
    {#-
        Weights as decimal(9, 6): a decimal(28, 6) value times a decimal(9, 6) weight is exact on every
        engine, where Spark rounds the product of two decimal(28, 6) to 6 decimals (and a composite health
        score on a tie moved by 0.01).
    -#}
    {%- set weight_type = 'decimal(9, 6)' -%}
    {%- set weighted_sum -%}
        {% for name in names -%}
            {{ "+ " if not loop.first }}coalesce(cast({{ value_template.replace('{}', name) }} as {{ numeric }})
                * cast({{ weight_template.replace('{}', name) }} as {{ weight_type }}), 0)
        {% endfor -%}
    {%- endset -%}
    {%- set weight_sum -%}
        nullif(
        {% for name in names -%}
            {{ "+ " if not loop.first }}case when {{ value_template.replace('{}', name) }} is not null
                then cast({{ weight_template.replace('{}', name) }} as {{ weight_type }}) else 0 end
        {% endfor -%}
        , 0)
    {%- endset %}
    cast({{ rwh_divide(weighted_sum, weight_sum) }} as {{ numeric }})
{%- endmacro %}
