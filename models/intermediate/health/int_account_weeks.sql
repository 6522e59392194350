{#-
    The account × week grid, built once: one row per account and week from the account's first week as a
    customer to the as-of week, weeks between contracts included (is_customer tells them apart), so window
    frames over it count weeks, not rows. A week's snapshot date is its Sunday, or the as-of date.
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with weeks as (

    select * from {{ ref('int_calendar_weeks') }}

),

lines as (

    select * from {{ ref('int_contract_lines_bridged') }}

),

customer_weeks as (

    select distinct
        lines.account_id,
        weeks.week_number
    from lines
    inner join weeks
        on
            lines.start_date <= weeks.snapshot_date
            and (lines.active_until_date is null or lines.active_until_date >= weeks.snapshot_date)

),

first_weeks as (

    select
        account_id,
        min(week_number) as first_week_number
    from customer_weeks
    group by 1

)

select
    {{ dbt.concat(['first_weeks.account_id', "'|'", 'cast(weeks.week_start_date as ' ~ dbt.type_string() ~ ')']) }}
        as account_week_id,
    first_weeks.account_id,
    weeks.week_number,
    weeks.week_start_date,
    weeks.snapshot_date,
    customer_weeks.account_id is not null as is_customer
from first_weeks
inner join weeks
    on first_weeks.first_week_number <= weeks.week_number
left join customer_weeks
    on first_weeks.account_id = customer_weeks.account_id and weeks.week_number = customer_weeks.week_number
