with rows_kept as (

    select * from {{ ref('base_cs_platform__onboarding_milestones') }}
    where is_staged

),

staged as (

    select
        milestone_id,
        account_id,
        contract_id,
        milestone,
        achieved_date,
        _loaded_at
    from rows_kept

)

select * from staged
