{#- The contracts contract lines must belong to. -#}
select contract_id from {{ ref('stg_billing__contracts') }}
