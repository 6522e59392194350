{#-
    The accounts the rows of other tables must belong to: the CRM's staged accounts, or, in a deployment
    without the CRM (RWH_SOURCE_SYSTEMS), every account billing has a staged contract for (billing is then
    the account registry).
-#}
with accounts as (

    {% if rwh_has_systems(['crm']) -%}
        select account_id from {{ ref('stg_crm__accounts') }}
    {%- else -%}
        select distinct account_id from {{ ref('stg_billing__contracts') }}
    {%- endif %}

)

select account_id from accounts
