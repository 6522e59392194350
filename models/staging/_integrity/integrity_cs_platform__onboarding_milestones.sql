{{ config(materialized='table', enabled=rwh_has_systems(['cs_platform'])) }}
{#- A milestone must be of a known account (unknown_account). -#}
{{ rwh_integrity_check('cs_platform', 'onboarding_milestones',
    before_row_rules=[rwh_known('account_id', 'known_accounts', 'unknown_account')]) }}
