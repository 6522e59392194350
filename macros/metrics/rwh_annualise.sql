{#- A rate over `months` months expressed per year: rate ^ (12 / months); null for a null or negative rate. -#}
{% macro rwh_annualise(rate, months) -%}
    cast(
        case
            when ({{ rate }}) is null or ({{ rate }}) < 0 or ({{ months }}) = 0 then null
            when ({{ months }}) = 12 then ({{ rate }})
            else power(cast({{ rate }} as {{ rwh_double_type() }}), 12.0 / ({{ months }}))
        end
        as decimal(18, 6)
    )
{%- endmacro %}
