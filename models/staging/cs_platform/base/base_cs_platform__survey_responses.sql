with source as (

    select * from {{ source('cs_platform', 'survey_responses') }}

),

typed as (

    select
        cast(response_id as {{ dbt.type_string() }}) as response_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        {{ rwh_pii_hash('cast(respondent_email as ' ~ dbt.type_string() ~ ')') }} as respondent_email_hash,
        lower(trim(cast(survey_type as {{ dbt.type_string() }}))) as survey_type,
        cast(score as {{ dbt.type_int() }}) as score,
        cast(responded_at as {{ dbt.type_timestamp() }}) as responded_at,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('cs_platform', 'survey_responses') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.response_id is null then 'null_key'
            when
                typed.survey_type is null
                or {{ rwh_not_accepted('cs_platform', 'survey_responses', 'survey_type', 'typed.survey_type') }}
                then 'invalid_enum'
            when typed.score is null then 'out_of_range'
            when typed.survey_type = 'nps' and (typed.score < 0 or typed.score > 10) then 'out_of_range'
            when typed.survey_type = 'csat' and (typed.score < 1 or typed.score > 5) then 'out_of_range'
            when typed.survey_type = 'ces' and (typed.score < 1 or typed.score > 7) then 'out_of_range'
            when typed.responded_at is null then 'null_date'
            when typed.responded_at > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['response_id']) }}
