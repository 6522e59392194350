{{ config(enabled=rwh_has_systems(['crm'])) }}
{#- The CRM users owners and forecasters must be. -#}
select user_id from {{ ref('stg_crm__users') }}
