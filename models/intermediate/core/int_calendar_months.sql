{#-
    One row per calendar month from the first contract month to the as-of month, with the fiscal calendar
    (var fiscal_year_start_month; a fiscal year is named by the calendar year it ends in) and the month's
    snapshot date: its last day, or the as-of date in the as-of month.
-#}
with as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

bounds as (

    select cast({{ dbt.date_trunc('month', 'min(start_date)') }} as date) as first_month_start_date
    from {{ ref('stg_billing__contracts') }}

),

month_numbers as (

    {{ rwh_integers(3, 'month_number') }}

),

months as (

    select
        month_numbers.month_number,
        cast({{ dbt.dateadd('month', 'month_numbers.month_number', 'bounds.first_month_start_date') }} as date)
            as month_start_date
    from month_numbers
    cross join bounds

),

in_range as (

    select
        months.month_start_date,
        cast({{ dbt.last_day('months.month_start_date', 'month') }} as date) as month_end_date,
        as_of.as_of_date,
        cast(extract(year from months.month_start_date) as {{ dbt.type_int() }}) as calendar_year,
        cast(extract(month from months.month_start_date) as {{ dbt.type_int() }}) as calendar_month
    from months
    cross join as_of
    where months.month_start_date <= as_of.as_of_date

),

fiscal as (

    select
        in_range.*,
        (in_range.calendar_month - {{ var('fiscal_year_start_month') }} + 12) % 12 as fiscal_month_index
    from in_range

),

final as (

    select
        fiscal.month_start_date,
        fiscal.month_end_date,
        case
            when fiscal.month_end_date > fiscal.as_of_date then fiscal.as_of_date
            else fiscal.month_end_date
        end as snapshot_date,
        fiscal.month_end_date >= fiscal.as_of_date as is_as_of_month,
        fiscal.calendar_year,
        fiscal.calendar_month,
        fiscal.fiscal_month_index + 1 as fiscal_month,
        cast(floor(fiscal.fiscal_month_index / 3.0) as {{ dbt.type_int() }}) + 1 as fiscal_quarter,
        fiscal.calendar_year
        + case
            when
                {{ var('fiscal_year_start_month') }} != 1
                and fiscal.calendar_month >= {{ var('fiscal_year_start_month') }} then 1
            else 0
        end as fiscal_year,
        cast({{ dbt.dateadd('month', '-1 * (fiscal.fiscal_month_index % 3)', 'fiscal.month_start_date') }} as date)
            as fiscal_quarter_start_date,
        cast({{ dbt.dateadd('month', '-1 * fiscal.fiscal_month_index', 'fiscal.month_start_date') }} as date)
            as fiscal_year_start_date
    from fiscal

)

select
    final.*,
    {{ dbt.concat([
        "'FY'", 'cast(final.fiscal_year as ' ~ dbt.type_string() ~ ')',
        "'-Q'", 'cast(final.fiscal_quarter as ' ~ dbt.type_string() ~ ')'
    ]) }} as fiscal_quarter_label
from final
