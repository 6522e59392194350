{#-
    One row per HubSpot owner, typed: the full name (first and last), the team (the owner's primary team, else its
    team of lowest id), the contract role the team's name maps to (seed ref_hubspot_values, field team; none:
    null). HubSpot has no hired date (null). An owner removed at the source (_fivetran_deleted) or not active is
    inactive. excluded_reason: not_person (a queue, not a user) or deleted_unreferenced (removed at the source), in
    both cases only when the owner owns no company or deal.
-#}
{%- set owners = source('hubspot', 'owner') -%}
{%- set str = dbt.type_string() -%}
with owners as (

    select
        cast(owner_id as {{ str }}) as user_id,
        cast(first_name as {{ str }}) as first_name,
        cast(last_name as {{ str }}) as last_name,
        cast(email as {{ str }}) as email,
        upper(trim(cast({{ rwh_optional_column(owners, 'type', str) }} as {{ str }}))) as owner_type,
        coalesce(cast({{ rwh_optional_column(owners, 'is_active', 'boolean') }} as boolean), true)
            as is_active_in_hubspot,
        coalesce(
            cast({{ rwh_optional_column(owners, '_fivetran_deleted', 'boolean') }} as boolean), false
        ) as is_deleted_at_source,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from {{ owners }}

),

memberships as (

    select
        owner_id,
        team_id,
        team_name
    from {{ ref('base_hubspot__owner_teams') }}
    where team_rank = 1

),

team_roles as (

    select
        lower(trim(hubspot_value)) as team_name,
        contract_value as role
    from {{ ref('ref_hubspot_values') }}
    where field = 'team'

),

owned as (

    select distinct owner_user_id as user_id
    from {{ ref('base_hubspot__owner_history') }}
    where owner_user_id is not null
    union
    select distinct owner_user_id as user_id
    from {{ ref('base_hubspot__deals') }}
    where owner_user_id is not null

)

select
    owners.user_id,
    case
        when owners.last_name is null then owners.first_name
        when owners.first_name is null then owners.last_name
        else {{ dbt.concat(["owners.first_name", "' '", "owners.last_name"]) }}
    end as full_name,
    owners.email,
    team_roles.role,
    memberships.team_name as team,
    cast(null as date) as hired_date,
    owners.is_active_in_hubspot and not owners.is_deleted_at_source as is_active,
    memberships.team_id,
    owners.synced_at,
    case
        when owned.user_id is not null then null
        when coalesce(owners.owner_type, 'PERSON') != 'PERSON' then 'not_person'
        when owners.is_deleted_at_source then 'deleted_unreferenced'
    end as excluded_reason
from owners
left join memberships
    on owners.user_id = memberships.owner_id
left join team_roles
    on lower(trim(memberships.team_name)) = team_roles.team_name
left join owned
    on owners.user_id = owned.user_id
