{#-
    The day spine MetricFlow needs (models/marts/_semantic_models.yml): one row per day from the first
    contract month to five years after the as-of date, so metrics on future renewals have their days too.
    Named as MetricFlow expects it.
-#}
with bounds as (

    select
        min(months.month_start_date) as first_date,
        cast({{ dbt.dateadd('year', 5, 'max(months.month_end_date)') }} as date) as last_date
    from {{ ref('int_calendar_months') }} as months

),

day_numbers as (

    {{ rwh_integers(5, 'day_number') }}

),

days as (

    select cast({{ dbt.dateadd('day', 'day_numbers.day_number', 'bounds.first_date') }} as date) as date_day
    from day_numbers
    cross join bounds

)

select days.date_day
from days
cross join bounds
where days.date_day <= bounds.last_date
