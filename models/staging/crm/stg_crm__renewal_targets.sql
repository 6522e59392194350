{#- Targets are converted at the rate of the first day of their period. -#}
with targets as (

    select * from {{ ref('base_crm__renewal_targets') }}
    where is_staged

),

fx_rates as (

    select * from {{ ref('stg_billing__fx_rates') }}

),

staged as (

    select
        {{ dbt.concat(['cast(targets.period_start_date as ' ~ dbt.type_string() ~ ')', "'|'", 'targets.segment']) }}
            as renewal_target_id,
        targets.period_start_date,
        targets.period_end_date,
        targets.segment,
        targets.currency,
        targets.target_arr_amount as target_arr,
        {{ rwh_to_reporting('targets.target_arr_amount', 'row_fx', 'reporting_fx') }} as target_arr_reporting,
        targets._loaded_at
    from targets
    left join fx_rates as row_fx
        on {{ rwh_fx_rate_on('row_fx', 'targets.currency', 'targets.period_start_date') }}
    left join fx_rates as reporting_fx
        on {{ rwh_fx_rate_on('reporting_fx', "'" ~ var('reporting_currency') ~ "'", 'targets.period_start_date') }}

)

select * from staged
