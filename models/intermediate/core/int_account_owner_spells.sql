{#-
    Who owned an account on any date, answered once (docs/metrics.md section 8: the CSM at T-90, the book of a
    quarter, the owner of a health week): the CRM's ownership history resolved into spells that never
    overlap. CRMs do overlap spells (a handover where the old owner's last day is the new owner's first, a
    correction entered beside the old row); on a day several spells cover, the one that started last owns
    the account, then the higher ownership_id. Every date an account has an owner falls in exactly one spell;
    join with rwh_owner_on_date (macros/metrics/rwh_owner_on_date.sql).
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with ownership as (

    select * from {{ ref('stg_crm__account_ownership') }}

),

boundaries as (

    {#- Every day an owner may change: a spell's first day, and the day after its last. -#}
    select
        account_id,
        valid_from_date as boundary_date
    from ownership
    union
    select
        account_id,
        cast({{ dbt.dateadd('day', 1, 'valid_to_date') }} as date) as boundary_date
    from ownership
    where valid_to_date is not null

),

next_boundaries as (

    select
        account_id,
        boundary_date,
        lead(boundary_date) over (partition by account_id order by boundary_date) as next_boundary_date
    from boundaries

),

intervals as (

    select
        account_id,
        boundary_date as interval_start_date,
        cast({{ dbt.dateadd('day', -1, 'next_boundary_date') }} as date) as interval_end_date
    from next_boundaries

),

ranked as (

    select
        intervals.account_id,
        intervals.interval_start_date,
        intervals.interval_end_date,
        ownership.owner_user_id,
        ownership.ownership_id,
        row_number() over (
            partition by intervals.account_id, intervals.interval_start_date
            order by ownership.valid_from_date desc, ownership.ownership_id desc
        ) as owner_rank
    from intervals
    inner join ownership
        on
            intervals.account_id = ownership.account_id
            and intervals.interval_start_date >= ownership.valid_from_date
            and (ownership.valid_to_date is null or intervals.interval_start_date <= ownership.valid_to_date)

),

winners as (

    select * from ranked
    where owner_rank = 1

),

continuity as (

    {#- An interval continues the one before it when it is the same ownership row, on the next day. -#}
    select
        winners.*,
        coalesce(
            lag(winners.ownership_id) over (partition by winners.account_id order by winners.interval_start_date)
            = winners.ownership_id
            and lag(winners.interval_end_date)
                over (
                    partition by winners.account_id order by winners.interval_start_date
                )
            = cast({{ dbt.dateadd('day', -1, 'winners.interval_start_date') }} as date),
            false
        ) as is_continued
    from winners

),

islands as (

    {#- Consecutive intervals of the same ownership row make one spell again. -#}
    select
        continuity.*,
        sum(case when continuity.is_continued then 0 else 1 end) over (
            partition by continuity.account_id
            order by continuity.interval_start_date
            rows between unbounded preceding and current row
        ) as spell_number
    from continuity

),

spells as (

    select
        account_id,
        owner_user_id,
        ownership_id,
        min(interval_start_date) as valid_from_date,
        case when count(interval_end_date) < count(*) then null else max(interval_end_date) end as valid_to_date
    from islands
    group by account_id, spell_number, owner_user_id, ownership_id

)

select
    {{ dbt.concat(['account_id', "'|'", 'cast(valid_from_date as ' ~ dbt.type_string() ~ ')']) }} as owner_spell_id,
    account_id,
    owner_user_id,
    ownership_id,
    valid_from_date,
    valid_to_date
from spells
