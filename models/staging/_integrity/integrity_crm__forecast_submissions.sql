{{ config(materialized='table', enabled=rwh_has_systems(['crm'])) }}
{#- A forecast must be submitted by a known CRM user (unknown_user). -#}
{{ rwh_integrity_check('crm', 'forecast_submissions',
    before_row_rules=[rwh_known('user_id', 'known_users', 'unknown_user')]) }}
