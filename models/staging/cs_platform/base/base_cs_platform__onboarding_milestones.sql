with source as (

    select * from {{ source('cs_platform', 'onboarding_milestones') }}

),

typed as (

    select
        cast(milestone_id as {{ dbt.type_string() }}) as milestone_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        lower(trim(cast(milestone as {{ dbt.type_string() }}))) as milestone,
        cast(achieved_date as date) as achieved_date,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('cs_platform', 'onboarding_milestones') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.milestone_id is null then 'null_key'
            when
                typed.milestone is null
                or {{ rwh_not_accepted('cs_platform', 'onboarding_milestones', 'milestone', 'typed.milestone') }}
                then 'invalid_enum'
            when typed.achieved_date is null then 'null_date'
            when cast(typed.achieved_date as {{ dbt.type_timestamp() }}) > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['milestone_id']) }}
