{{ config(materialized='table') }}
{#-
    A contract must belong to a known account (unknown_account). Without the CRM, billing is the account
    registry: every account a contract names is known, so only a contract that names none breaks the rule.
-#}
{%- if rwh_has_systems(['crm']) -%}
    {%- set account_rule = rwh_known('account_id', 'known_accounts', 'unknown_account') -%}
{%- else -%}
    {%- set account_rule = {'reason': 'unknown_account', 'relation': none,
                            'broken': 'current_rows.account_id is null'} -%}
{%- endif -%}
{{ rwh_integrity_check('billing', 'contracts', before_row_rules=[account_rule]) }}
