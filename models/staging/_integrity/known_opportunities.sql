{{ config(enabled=rwh_has_systems(['crm'])) }}
{#- The renewal opportunities stage history must belong to. -#}
select opportunity_id from {{ ref('stg_crm__renewal_opportunities') }}
