{#-
    Join condition: the owner spell (int_account_owner_spells) of an account on a date. The spells never
    overlap, so an account and date match one spell at most: no ranking at the join.
-#}
{% macro rwh_owner_on_date(spells_alias, account_expression, date_expression) -%}
    {{ spells_alias }}.account_id = {{ account_expression }}
    and {{ spells_alias }}.valid_from_date <= {{ date_expression }}
    and ({{ spells_alias }}.valid_to_date is null or {{ spells_alias }}.valid_to_date >= {{ date_expression }})
{%- endmacro %}
