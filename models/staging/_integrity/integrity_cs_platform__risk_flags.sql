{{ config(materialized='table', enabled=rwh_has_systems(['cs_platform'])) }}
{#- A risk flag must be on a known account (unknown_account). -#}
{{ rwh_integrity_check('cs_platform', 'risk_flags',
    before_row_rules=[rwh_known('account_id', 'known_accounts', 'unknown_account')]) }}
