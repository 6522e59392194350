{#-
    Every row of Salesforce's account table, typed: one per account, or one per version of an account when
    Fivetran's history mode is on in place (_fivetran_active, _fivetran_start). version_rank 1 is the version
    that counts (the active one, else the latest). The versions in time order give the ownership history
    (rwh_ownership_periods): a run starts where the owner (var salesforce_owner_column) changes; when two runs
    start on one day the later one counts, and when that leaves the owner as it was (U1 to U2 and back in a day) no
    period starts; a run without an owner makes no period. The first run starts at the account's creation when
    history mode began later. ownership_id is set on the version that starts a period.
-#}
{%- set accounts = source('salesforce', 'account') -%}
{%- set ts = dbt.type_timestamp() -%}
{%- set str = dbt.type_string() -%}
with versions as (

    select
        cast(id as {{ str }}) as account_id,
        cast(name as {{ str }}) as account_name,
        cast(parent_id as {{ str }}) as parent_id,
        cast(industry as {{ str }}) as industry_value,
        cast(billing_country as {{ str }}) as billing_country,
        cast(number_of_employees as {{ dbt.type_int() }}) as employee_count,
        cast(account_source as {{ str }}) as account_source,
        cast({{ adapter.quote(var('salesforce_owner_column')) }} as {{ str }}) as owner_user_id,
        cast(created_date as {{ ts }}) as created_at,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        cast(master_record_id as {{ str }}) as master_record_id,
        coalesce(
            cast({{ rwh_optional_column(accounts, '_fivetran_active', 'boolean') }} as boolean), true
        ) as is_active_version,
        cast({{ rwh_optional_column(accounts, '_fivetran_start', ts) }} as {{ ts }}) as version_started_at,
        cast(_fivetran_synced as {{ ts }}) as synced_at
    from {{ accounts }}

),

ordered as (

    select
        versions.*,
        coalesce(versions.version_started_at, versions.created_at, versions.synced_at) as effective_at,
        {{ rwh_version_rank('account_id') }} as version_rank,
        {{ rwh_active_versions('account_id') }} as active_versions
    from versions

),

sequenced as (

    select
        ordered.*,
        lag(ordered.owner_user_id) over (
            partition by ordered.account_id order by ordered.effective_at, ordered.synced_at
        ) as previous_owner_user_id,
        row_number() over (
            partition by ordered.account_id order by ordered.effective_at, ordered.synced_at
        ) as version_number
    from ordered

),

periods as (

    {#- the runs of one owner over the versions (rwh_ownership_periods) #}
    select * from {{ rwh_ownership_periods('sequenced') }} as ownership_periods

)

select
    sequenced.account_id,
    sequenced.account_name,
    sequenced.parent_id,
    sequenced.industry_value,
    sequenced.billing_country,
    sequenced.employee_count,
    sequenced.account_source,
    sequenced.owner_user_id,
    sequenced.created_at,
    sequenced.is_deleted,
    sequenced.master_record_id,
    sequenced.is_active_version,
    sequenced.version_started_at,
    sequenced.synced_at,
    sequenced.effective_at,
    sequenced.version_rank,
    sequenced.active_versions,
    {{ rwh_ownership_period_columns('sequenced.account_id') }}
from sequenced
left join periods
    on
        sequenced.account_id = periods.account_id
        and sequenced.version_number = periods.version_number
