with rows_kept as (

    select base.*
    from {{ ref('base_cs_platform__survey_responses') }} as base
    left join {{ ref('integrity_cs_platform__survey_responses') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

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
