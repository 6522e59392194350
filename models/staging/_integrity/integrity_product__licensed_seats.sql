{{ config(materialized='table', enabled=rwh_has_systems(['product'])) }}
{#- A seat count must be of a known account (unknown_account). -#}
{{ rwh_integrity_check('product', 'licensed_seats',
    before_row_rules=[rwh_known('account_id', 'known_accounts', 'unknown_account')]) }}
