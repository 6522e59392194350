{#-
    One row per Salesforce user, typed, with the contract role its role's API name maps to (seed
    ref_salesforce_values; none: null), the team (its department) and the hired date (custom field, var
    salesforce_fields.hired_date). With history mode on user or user_role, the version that counts
    (rwh_history_versions; the ledger lists the others as superseded_version). A user removed at the source
    (_fivetran_deleted, or no active version left in history mode) is inactive. excluded_reason:
    not_standard_user (an integration, automated-process or portal user) or deleted_unreferenced (removed at the
    source), in both cases only when the user owns no account or opportunity.
-#}
{%- set users = source('salesforce', 'user') -%}
{%- set str = dbt.type_string() -%}
with users as (

    select
        cast(id as {{ str }}) as user_id,
        cast(name as {{ str }}) as full_name,
        cast(email as {{ str }}) as email,
        cast(is_active as boolean) as is_active_in_salesforce,
        cast(user_role_id as {{ str }}) as user_role_id,
        cast(department as {{ str }}) as team,
        lower(trim(cast(user_type as {{ str }}))) as user_type,
        cast(
            {{ rwh_optional_column(users, var('salesforce_fields')['hired_date'], 'date') }} as date
        ) as hired_date,
        coalesce(
            cast({{ rwh_optional_column(users, '_fivetran_deleted', 'boolean') }} as boolean), false
        )
        or not coalesce(
            cast({{ rwh_optional_column(users, '_fivetran_active', 'boolean') }} as boolean), true
        ) as is_deleted_at_source,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from {{ rwh_history_versions(users) }} as user_versions
    where version_rank = 1

),

mapped_roles as (

    select
        cast(user_roles.id as {{ str }}) as user_role_id,
        role_map.contract_value as role
    from {{ rwh_history_versions(source('salesforce', 'user_role')) }} as user_roles
    inner join {{ ref('ref_salesforce_values') }} as role_map
        on
            role_map.field = 'user_role'
            and lower(trim(role_map.salesforce_value)) = lower(trim(cast(user_roles.developer_name as {{ str }})))
    where user_roles.version_rank = 1

),

owners as (

    select distinct owner_user_id as user_id
    from {{ ref('base_salesforce__account_versions') }}
    where owner_user_id is not null
    union
    select distinct cast(owner_id as {{ str }}) as user_id
    from {{ source('salesforce', 'opportunity') }}
    where owner_id is not null

)

select
    users.user_id,
    users.full_name,
    users.email,
    mapped_roles.role,
    users.team,
    users.hired_date,
    case when users.is_deleted_at_source then false else users.is_active_in_salesforce end as is_active,
    users.user_role_id,
    users.synced_at,
    case
        when owners.user_id is not null then null
        when coalesce(users.user_type, 'standard') != 'standard' then 'not_standard_user'
        when users.is_deleted_at_source then 'deleted_unreferenced'
    end as excluded_reason
from users
left join mapped_roles
    on users.user_role_id = mapped_roles.user_role_id
left join owners
    on users.user_id = owners.user_id
