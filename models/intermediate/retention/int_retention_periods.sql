{#-
    One row per reporting period (docs/metrics.md section 2): months, fiscal quarters, fiscal years and trailing
    twelve months. A period follows the accounts from its opening snapshot (the month before it starts) to
    its closing snapshot (its last month, or the as-of month while it is still running). Periods start no
    earlier than the first month of history, whose opening snapshot is empty.
-#}
with months as (

    select * from {{ ref('int_calendar_months') }}

),

as_of_month as (

    select
        month_start_date as as_of_month_start_date,
        snapshot_date,
        month_end_date
    from months
    where is_as_of_month

),

candidates as (

    select
        'month' as period_type,
        month_start_date as period_start_date,
        month_start_date as nominal_end_month_start_date
    from months
    union all
    select distinct
        'fiscal_quarter' as period_type,
        fiscal_quarter_start_date as period_start_date,
        cast({{ dbt.dateadd('month', 2, 'fiscal_quarter_start_date') }} as date) as nominal_end_month_start_date
    from months
    union all
    select distinct
        'fiscal_year' as period_type,
        fiscal_year_start_date as period_start_date,
        cast({{ dbt.dateadd('month', 11, 'fiscal_year_start_date') }} as date) as nominal_end_month_start_date
    from months
    union all
    select
        'trailing_twelve_months' as period_type,
        cast({{ dbt.dateadd('month', -11, 'month_start_date') }} as date) as period_start_date,
        month_start_date as nominal_end_month_start_date
    from months

),

bounded as (

    select
        candidates.period_type,
        candidates.period_start_date,
        cast({{ dbt.dateadd('month', -1, 'candidates.period_start_date') }} as date) as opening_month_start_date,
        case
            when candidates.nominal_end_month_start_date > as_of_month.as_of_month_start_date
                then as_of_month.as_of_month_start_date
            else candidates.nominal_end_month_start_date
        end as closing_month_start_date,
        candidates.nominal_end_month_start_date < as_of_month.as_of_month_start_date
        or (
            candidates.nominal_end_month_start_date = as_of_month.as_of_month_start_date
            and as_of_month.snapshot_date = as_of_month.month_end_date
        ) as is_complete
    from candidates
    cross join as_of_month

)

select
    {{ dbt.concat(['bounded.period_type', "'|'", 'cast(bounded.period_start_date as ' ~ dbt.type_string() ~ ')']) }}
        as period_id,
    bounded.*,
    {{ dbt.datediff('bounded.opening_month_start_date', 'bounded.closing_month_start_date', 'month') }}
        as months_in_period,
    closing_months.fiscal_year,
    closing_months.fiscal_quarter_label,
    {#- The reporting grammar's label: 2026-03, FY2026-Q1, FY2026, TTM to 2026-03 (its closing month). -#}
    {%- set string = dbt.type_string() %}
    case bounded.period_type
        when 'month' then {{ dbt.concat([
            'cast(start_months.calendar_year as ' ~ string ~ ')', "'-'",
            "lpad(cast(start_months.calendar_month as " ~ string ~ "), 2, '0')"
        ]) }}
        when 'fiscal_quarter' then start_months.fiscal_quarter_label
        when 'fiscal_year' then {{ dbt.concat(["'FY'", 'cast(start_months.fiscal_year as ' ~ string ~ ')']) }}
        else {{ dbt.concat([
            "'TTM to '", 'cast(closing_months.calendar_year as ' ~ string ~ ')', "'-'",
            "lpad(cast(closing_months.calendar_month as " ~ string ~ "), 2, '0')"
        ]) }}
    end as period_label
from bounded
inner join months as closing_months
    on bounded.closing_month_start_date = closing_months.month_start_date
inner join months as start_months
    on bounded.period_start_date = start_months.month_start_date
-- A period starting at the first month of history opens on an empty book (no contract existed before);
-- periods starting earlier than that are not generated.
where bounded.period_start_date >= (select min(months.month_start_date) from months)
