{#-
    One row per onboarding: the milestones an account reached for one contract (cs_platform
    onboarding_milestones pivoted), with the day it began (its earliest milestone) and the day of each
    milestone. Milestones recorded without a contract form one onboarding per account.
-#}
{%- set requires_systems = ['cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with milestones as (

    select * from {{ ref('stg_cs_platform__onboarding_milestones') }}

)

select
    {{ dbt.concat(['account_id', "'|'", "coalesce(contract_id, 'none')"]) }} as onboarding_id,
    account_id,
    contract_id,
    min(achieved_date) as onboarding_start_date,
    min(case when milestone = 'signed' then achieved_date end) as signed_date,
    min(case when milestone = 'first_login' then achieved_date end) as first_login_date,
    min(case when milestone = 'onboarding_completed' then achieved_date end) as onboarding_completed_date,
    min(case when milestone = 'first_value' then achieved_date end) as first_value_date
from milestones
group by 2, 3
