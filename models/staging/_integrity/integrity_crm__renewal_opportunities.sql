{{ config(materialized='table', enabled=rwh_has_systems(['crm'])) }}
{#- A renewal opportunity must be on a known account (unknown_account). -#}
{{ rwh_integrity_check('crm', 'renewal_opportunities',
    before_row_rules=[rwh_known('account_id', 'known_accounts', 'unknown_account')]) }}
