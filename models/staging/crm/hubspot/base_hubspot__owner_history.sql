{#-
    The ownership history of every HubSpot company: one row per value its owner property (var
    hubspot_owner_property, default hubspot_owner_id) took in company_property_history (an empty value: no owner),
    and for a company without any, one row with its current owner since its creation (the history before the
    first sync is not in HubSpot). In time order they give the ownership periods (rwh_ownership_periods): a run
    starts where the owner changes; of two runs starting on one day the later counts, and none when the day ends
    with the owner it started with; an ownerless run makes no period; the first run starts at the company's
    creation when its history begins later. ownership_id, valid_from and valid_to are set on the row that starts a
    period; history_key names the property-history row (null on a company without history).
-#}
{%- set str = dbt.type_string() -%}
{%- set ts = dbt.type_timestamp() -%}
with companies as (

    select
        account_id,
        owner_user_id,
        created_at,
        synced_at
    from {{ ref('base_hubspot__companies') }}

),

history as (

    select
        cast(property_history.company_id as {{ str }}) as account_id,
        nullif(trim(cast(property_history.value as {{ str }})), '') as owner_user_id,
        cast(property_history.timestamp as {{ ts }}) as effective_at,
        cast(property_history._fivetran_synced as {{ ts }}) as synced_at,
        {{ rwh_hubspot_history_key('property_history') }} as history_key
    from {{ source('hubspot', 'company_property_history') }} as property_history
    where lower(trim(cast(property_history.name as {{ str }}))) = '{{ var("hubspot_owner_property") | lower }}'

),

owner_values as (

    select
        history.account_id,
        history.owner_user_id,
        history.effective_at,
        history.synced_at,
        companies.created_at,
        history.history_key
    from history
    inner join companies
        on history.account_id = companies.account_id
    union all
    select
        companies.account_id,
        companies.owner_user_id,
        companies.created_at as effective_at,
        companies.synced_at,
        companies.created_at,
        cast(null as {{ str }}) as history_key
    from companies
    where not exists (
        select 1 from history
        where history.account_id = companies.account_id
    )

),

sequenced as (

    select
        owner_values.*,
        lag(owner_values.owner_user_id) over (
            partition by owner_values.account_id
            order by owner_values.effective_at, owner_values.synced_at, owner_values.history_key
        ) as previous_owner_user_id,
        row_number() over (
            partition by owner_values.account_id
            order by owner_values.effective_at, owner_values.synced_at, owner_values.history_key
        ) as version_number
    from owner_values

),

periods as (

    select * from {{ rwh_ownership_periods('sequenced') }} as ownership_periods

)

select
    sequenced.account_id,
    sequenced.version_number,
    sequenced.owner_user_id,
    sequenced.effective_at,
    sequenced.synced_at,
    sequenced.history_key,
    {{ rwh_ownership_period_columns('sequenced.account_id') }}
from sequenced
left join periods
    on
        sequenced.account_id = periods.account_id
        and sequenced.version_number = periods.version_number
