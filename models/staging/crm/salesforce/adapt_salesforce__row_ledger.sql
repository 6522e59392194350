{#-
    Every row the Salesforce adapter read, one ledger row each (docs/sources/salesforce.md): mapped (it made, or
    went into, a contract row: contract_table names which, contract_key the row when it is one to one) or
    excluded with its reason. Versions of account and opportunity (history mode) are keyed by id and version;
    the others by id, and their superseded versions when history mode versions them (user, user_role, record_type)
    by id '@' the version's start (rwh_history_versions). Staging then stages or quarantines the contract rows as it does the contract's own files.
    Tested: every source row is here once (assert_vendor_rows_are_all_in_the_ledger).
-#}
{%- set str = dbt.type_string() -%}
with accounts as (

    select * from {{ ref('base_salesforce__accounts') }}

),

users as (

    select * from {{ ref('base_salesforce__users') }}

),

opportunities as (

    select * from {{ ref('base_salesforce__opportunity_versions') }}

),

used_roles as (

    select distinct user_role_id from users
    where excluded_reason is null

),

used_record_types as (

    select distinct record_type_name from opportunities
    where excluded_reason is null

),

account_versions as (

    select
        'account' as vendor_table,
        {{ dbt.concat([
            "account_version.account_id", "'@'",
            "coalesce(cast(account_version.version_started_at as " ~ str ~ "), cast(account_version.synced_at as " ~ str ~ "))"
        ]) }} as vendor_key,
        case
            when accounts.excluded_reason is not null then accounts.excluded_reason
            when account_version.version_rank = 1 or account_version.ownership_id is not null then null
            else 'superseded_version'
        end as excluded_reason,
        case
            when account_version.version_rank = 1 then 'crm.accounts' else 'crm.account_ownership'
        end as contract_table,
        case
            when account_version.version_rank = 1 then account_version.account_id else account_version.ownership_id
        end as contract_key
    from {{ ref('base_salesforce__account_versions') }} as account_version
    left join accounts
        on account_version.account_id = accounts.account_id

),

user_rows as (

    select
        'user' as vendor_table,
        user_id as vendor_key,
        excluded_reason,
        'crm.users' as contract_table,
        user_id as contract_key
    from users
    union all
    select
        'user' as vendor_table,
        user_versions.version_key as vendor_key,
        'superseded_version' as excluded_reason,
        'crm.users' as contract_table,
        cast(null as {{ str }}) as contract_key
    from {{ rwh_history_versions(source('salesforce', 'user')) }} as user_versions
    where user_versions.version_rank > 1

),

roles as (

    select
        'user_role' as vendor_table,
        case
            when user_roles.version_rank = 1 then cast(user_roles.id as {{ str }}) else user_roles.version_key
        end as vendor_key,
        case
            when user_roles.version_rank > 1 then 'superseded_version'
            when used_roles.user_role_id is null then 'unreferenced'
        end as excluded_reason,
        'crm.users' as contract_table,
        cast(null as {{ str }}) as contract_key
    from {{ rwh_history_versions(source('salesforce', 'user_role')) }} as user_roles
    left join used_roles
        on cast(user_roles.id as {{ str }}) = used_roles.user_role_id

),

record_types as (

    select
        'record_type' as vendor_table,
        case
            when record_types.version_rank = 1 then cast(record_types.id as {{ str }}) else record_types.version_key
        end as vendor_key,
        case
            when record_types.version_rank > 1 then 'superseded_version'
            when used_record_types.record_type_name is null then 'not_renewal'
        end as excluded_reason,
        'crm.renewal_opportunities' as contract_table,
        cast(null as {{ str }}) as contract_key
    from {{ rwh_history_versions(source('salesforce', 'record_type')) }} as record_types
    left join used_record_types
        on lower(trim(cast(record_types.developer_name as {{ str }}))) = used_record_types.record_type_name

),

opportunity_versions as (

    select
        'opportunity' as vendor_table,
        {{ dbt.concat([
            "opportunity_version.opportunity_id", "'@'",
            "coalesce(cast(opportunity_version.version_started_at as " ~ str ~ "), cast(opportunity_version.synced_at as "
            ~ str ~ "))"
        ]) }} as vendor_key,
        opportunity_version.excluded_reason,
        'crm.renewal_opportunities' as contract_table,
        case when opportunity_version.version_rank = 1 then opportunity_version.opportunity_id end as contract_key
    from opportunities as opportunity_version

),

stage_changes as (

    select
        'opportunity_history' as vendor_table,
        stage_history_id as vendor_key,
        excluded_reason,
        'crm.opportunity_stage_history' as contract_table,
        stage_history_id as contract_key
    from {{ ref('base_salesforce__stage_changes') }}

),

unioned as (

    select * from account_versions
    union all
    select * from user_rows
    union all
    select * from roles
    union all
    select * from record_types
    union all
    select * from opportunity_versions
    union all
    select * from stage_changes

)

select
    'salesforce' as vendor,
    vendor_table,
    vendor_key,
    case when excluded_reason is null then 'mapped' else 'excluded' end as outcome,
    excluded_reason,
    contract_table,
    contract_key
from unioned
