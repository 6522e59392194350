{{ config(materialized='table', enabled=rwh_has_systems(['crm'])) }}
{#- A stage change must be of a staged renewal opportunity (unknown_opportunity). -#}
{{ rwh_integrity_check('crm', 'opportunity_stage_history',
    before_row_rules=[rwh_known('opportunity_id', 'known_opportunities', 'unknown_opportunity')]) }}
