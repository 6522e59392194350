with rows_kept as (

    select * from {{ ref('base_cs_platform__survey_responses') }}
    where is_staged

),

staged as (

    select
        response_id,
        account_id,
        respondent_email_hash,
        survey_type,
        score,
        responded_at,
        _loaded_at
    from rows_kept

)

select * from staged
