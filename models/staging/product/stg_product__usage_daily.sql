with usage_rows as (

    select * from {{ ref('base_product__usage_daily') }}
    where is_staged

),

staged as (

    select
        {{ dbt.concat(['account_id', "'|'", 'user_id', "'|'", 'cast(usage_date as ' ~ dbt.type_string() ~ ')']) }}
            as usage_day_id,
        {{ rwh_star(ref('base_product__usage_daily'), except=rwh_audit_columns()) }}
    from usage_rows

)

select * from staged
