with rows_kept as (

    select base.*
    from {{ ref('base_cs_platform__onboarding_milestones') }} as base
    left join {{ ref('integrity_cs_platform__onboarding_milestones') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

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
