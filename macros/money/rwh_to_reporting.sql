{#- Convert an amount with the rates of two joined fx aliases (row currency, reporting currency). -#}
{% macro rwh_to_reporting(amount, row_fx_alias, reporting_fx_alias) -%}
    cast({{ rwh_divide(amount ~ ' * ' ~ row_fx_alias ~ '.usd_per_unit', reporting_fx_alias ~ '.usd_per_unit') }}
        as {{ rwh_money_type() }})
{%- endmacro %}
