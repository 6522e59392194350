{#- The products contract lines must sell. -#}
select product_id from {{ ref('stg_billing__products') }}
