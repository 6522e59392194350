{#-
    The periods CSM performance is read over (docs/metrics.md section 8): each fiscal quarter, and all quarters
    together (period_type all_time, label 'all'), with the day its book is taken (the quarter's last day, or
    the as-of date; for all_time the as-of date) and the days its activities count from and to.
-#}
with months as (

    select * from {{ ref('int_calendar_months') }}

)

select
    'fiscal_quarter' as period_type,
    fiscal_quarter_start_date as period_start_date,
    max(fiscal_quarter_label) as period_label,
    fiscal_quarter_start_date as activity_from_date,
    max(month_start_date) as last_month_start_date,
    max(snapshot_date) as snapshot_date
from months
group by 2
union all
select
    'all_time' as period_type,
    cast(null as date) as period_start_date,
    'all' as period_label,
    min(month_start_date) as activity_from_date,
    max(month_start_date) as last_month_start_date,
    max(snapshot_date) as snapshot_date
from months
