{#-
    One row per week (Monday to Sunday) from the week of the first contract or renewal opportunity to the
    as-of week, numbered from 0 (week_number, for window frames and week arithmetic), with the week's
    snapshot date: its Sunday, or the as-of date in the as-of week.
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

first_dates as (

    select min(start_date) as first_date from {{ ref('stg_billing__contracts') }}
    union all
    select min(created_date) as first_date from {{ ref('stg_crm__renewal_opportunities') }}

),

bounds as (

    select cast({{ dbt.date_trunc('week', 'min(first_date)') }} as date) as first_week_start_date
    from first_dates

),

week_numbers as (

    {{ rwh_integers(4, 'week_number') }}

),

weeks as (

    select
        week_numbers.week_number,
        cast({{ dbt.dateadd('day', '7 * week_numbers.week_number', 'bounds.first_week_start_date') }} as date)
            as week_start_date,
        cast({{ dbt.dateadd('day', '7 * week_numbers.week_number + 6', 'bounds.first_week_start_date') }} as date)
            as week_end_date,
        as_of.as_of_date
    from week_numbers
    cross join bounds
    cross join as_of
    where {{ dbt.dateadd('day', '7 * week_numbers.week_number', 'bounds.first_week_start_date') }} <= as_of.as_of_date

)

select
    week_start_date,
    week_end_date,
    case when week_end_date > as_of_date then as_of_date else week_end_date end as snapshot_date,
    week_number,
    week_end_date >= as_of_date as is_as_of_week
from weeks
