{#-
    The accounts other systems' rows must belong to, as a subquery: the integrity model known_accounts (the
    CRM's staged accounts when the CRM is present, else the accounts billing has staged contracts for).
-#}
{% macro rwh_known_accounts() -%}
    (select account_id from {{ ref('known_accounts') }})
{%- endmacro %}
