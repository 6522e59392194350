{{ config(materialized='table', enabled=rwh_has_systems(['cs_platform'])) }}
{#- A survey answer must come from a known account (unknown_account). -#}
{{ rwh_integrity_check('cs_platform', 'survey_responses',
    before_row_rules=[rwh_known('account_id', 'known_accounts', 'unknown_account')]) }}
