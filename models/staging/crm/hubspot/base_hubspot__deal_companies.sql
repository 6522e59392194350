{#-
    One row per association of a HubSpot deal with a company, ranked within the deal (association_rank 1: the
    company that is the deal's account: the primary association, type 5, else the lowest company id as text).
-#}
{%- set associations = source('hubspot', 'deal_company') -%}
{%- set str = dbt.type_string() -%}
with associations as (

    select
        cast(deal_id as {{ str }}) as deal_id,
        cast(company_id as {{ str }}) as company_id,
        cast({{ rwh_optional_column(associations, 'type_id', dbt.type_int()) }} as {{ dbt.type_int() }})
            as type_id
    from {{ associations }}

)

select
    associations.deal_id,
    associations.company_id,
    associations.type_id,
    {{ dbt.concat(["associations.deal_id", "'~'", "associations.company_id"]) }} as association_key,
    row_number() over (
        partition by associations.deal_id
        order by case when associations.type_id = 5 then 0 else 1 end, associations.company_id
    ) as association_rank
from associations
