{{ config(materialized='table', enabled=rwh_has_systems(['crm'])) }}
{#- An activity must be on a known account (unknown_account). -#}
{{ rwh_integrity_check('crm', 'activities',
    before_row_rules=[rwh_known('account_id', 'known_accounts', 'unknown_account')]) }}
