with rates as (

    select * from {{ ref('base_billing__fx_rates') }}
    where is_staged

),

ranged as (

    select
        {{ dbt.concat(['currency', "'|'", 'cast(rate_date as ' ~ dbt.type_string() ~ ')']) }} as fx_rate_id,
        currency,
        rate_date,
        usd_per_unit,
        coalesce(
            {{ dbt.dateadd('day', -1, 'lead(rate_date) over (partition by currency order by rate_date)') }},
            cast('9999-12-31' as date)
        ) as valid_to_date,
        _loaded_at
    from rates

)

select * from ranged
