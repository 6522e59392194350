{#-
    The atomic retention fact adds up to the retention mart: for every period and segment (the whole book and
    each value of each segment type), the sums of account_retention equal the retention row of the same
    period and segment, to the cent, and no row is missing on either side. The semantic layer's retention
    metrics read account_retention; this is what lets them equal the mart.
-#}
with accounts as (

    select * from {{ ref('account_retention') }}

),

fanned_out as (

    {{ rwh_fan_out('accounts') }}

),

sums as (

    select
        period_id,
        segment_type,
        segment_value,
        sum(case when is_customer_at_opening then 1 else 0 end) as opening_customer_count,
        sum(case when is_churned_customer then 1 else 0 end) as churned_customer_count,
        sum(opening_arr) as opening_arr,
        sum(closing_arr) as closing_arr,
        sum(retained_arr) as retained_arr,
        sum(expansion_arr) as expansion_arr,
        sum(contraction_arr) as contraction_arr,
        sum(churned_arr) as churned_arr
    from fanned_out
    group by 1, 2, 3

),

retention as (

    select * from {{ ref('retention') }}
    where opening_customer_count > 0 or opening_arr != 0

)

select
    coalesce(retention.retention_id, sums.period_id) as failing_row,
    sums.segment_type,
    sums.segment_value
from sums
full outer join retention
    on
        sums.period_id = retention.period_id
        and sums.segment_type = retention.segment_type
        and sums.segment_value = retention.segment_value
where
    retention.retention_id is null
    or sums.period_id is null
    or sums.opening_customer_count != retention.opening_customer_count
    or sums.churned_customer_count != retention.churned_customer_count
    or abs(sums.opening_arr - retention.opening_arr) > 0.005
    or abs(sums.closing_arr - retention.closing_arr) > 0.005
    or abs(sums.retained_arr - retention.retained_arr) > 0.005
    or abs(sums.expansion_arr - retention.expansion_arr) > 0.005
    or abs(sums.contraction_arr - retention.contraction_arr) > 0.005
    or abs(sums.churned_arr - retention.churned_arr) > 0.005
