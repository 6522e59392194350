{#-
    A signal scored 0-100: 0 at zero_value, 100 at full_value, linear between, clamped outside (full below
    zero scores a lower-is-better signal); null when the value is null.
-#}
{% macro rwh_signal_score(value, zero_value, full_value) -%}
    {%- set numeric = dbt.type_numeric() -%}
    case
        when {{ value }} is null then null
        else greatest(0, least(100, {{ rwh_divide(
            '100.0 * (cast(' ~ value ~ ' as ' ~ numeric ~ ') - cast(' ~ zero_value ~ ' as ' ~ numeric ~ '))',
            'cast(' ~ full_value ~ ' as ' ~ numeric ~ ') - cast(' ~ zero_value ~ ' as ' ~ numeric ~ ')'
        ) }}))
    end
{%- endmacro %}
