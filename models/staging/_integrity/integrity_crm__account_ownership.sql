{{ config(materialized='table', enabled=rwh_has_systems(['crm'])) }}
{#- An ownership must be of a known account (unknown_account) and a known CRM user (unknown_user). -#}
{{ rwh_integrity_check('crm', 'account_ownership', before_row_rules=[
    rwh_known('account_id', 'known_accounts', 'unknown_account'),
    rwh_known('owner_user_id', 'known_users', 'unknown_user', key='user_id'),
]) }}
