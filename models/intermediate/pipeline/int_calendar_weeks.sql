{#- One row per week (starting Monday) from the first renewal opportunity to the as-of week. -#}
with as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

bounds as (

    select cast({{ dbt.date_trunc('week', 'min(created_date)') }} as date) as first_week_start_date
    from {{ ref('stg_crm__renewal_opportunities') }}

),

week_numbers as (

    {{ rwh_integers(4, 'week_number') }}

)

select
    cast({{ dbt.dateadd('day', '7 * week_numbers.week_number', 'bounds.first_week_start_date') }} as date)
        as week_start_date
from week_numbers
cross join bounds
cross join as_of
where {{ dbt.dateadd('day', '7 * week_numbers.week_number', 'bounds.first_week_start_date') }} <= as_of.as_of_date
