{#- One row per week (starting Monday) from the first renewal opportunity to the as-of week. -#}
with as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

bounds as (

    select cast({{ dbt.date_trunc('week', 'min(created_date)') }} as date) as first_week_start_date
    from {{ ref('stg_crm__renewal_opportunities') }}

),

digits as (

    select 0 as digit
    union all
    select 1
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
    union all
    select 6
    union all
    select 7
    union all
    select 8
    union all
    select 9

),

week_numbers as (

    select ones.digit + 10 * tens.digit + 100 * hundreds.digit + 1000 * thousands.digit as week_number
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands

)

select
    cast({{ dbt.dateadd('day', '7 * week_numbers.week_number', 'bounds.first_week_start_date') }} as date)
        as week_start_date
from week_numbers
cross join bounds
cross join as_of
where {{ dbt.dateadd('day', '7 * week_numbers.week_number', 'bounds.first_week_start_date') }} <= as_of.as_of_date
