with source as (

    select * from {{ rwh_raw('crm', 'opportunity_stage_history') }}

),

typed as (

    select
        cast(stage_history_id as {{ dbt.type_string() }}) as stage_history_id,
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        lower(trim(cast(stage as {{ dbt.type_string() }}))) as stage,
        cast(entered_at as {{ dbt.type_timestamp() }}) as entered_at,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('crm', 'opportunity_stage_history') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.stage_history_id is null then 'null_key'
            when
                typed.stage is null
                or {{ rwh_not_accepted('crm', 'opportunity_stage_history', 'stage', 'typed.stage') }}
                then 'invalid_enum'
            when typed.entered_at is null then 'null_date'
            when typed.entered_at > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['stage_history_id']) }}
