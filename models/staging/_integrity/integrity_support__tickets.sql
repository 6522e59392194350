{{ config(materialized='table', enabled=rwh_has_systems(['support'])) }}
{#- A ticket must be from a known account (unknown_account). -#}
{{ rwh_integrity_check('support', 'tickets',
    before_row_rules=[rwh_known('account_id', 'known_accounts', 'unknown_account')]) }}
