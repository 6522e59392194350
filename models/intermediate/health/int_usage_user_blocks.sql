{#-
    Each product user's weekly activity as bits: one row per account, user and block of
    rwh_usage_block_weeks() (13) weeks, with a bit per week in which the user was active (active_weeks_mask)
    or used a core feature (core_weeks_mask), and the same bits of the last four weeks of the block before
    (the look-back masks). It is the compact per-user activity that distinct users over rolling four-week
    windows are counted from (int_usage_account_weeks): a user-block row replaces up to 13 user-weeks, and
    no window function or self-join is needed.
    Incremental by block (macros/incremental/rwh_usage_changed_periods.sql): a run rebuilds the blocks of the
    weeks that rows loaded since the last run can change, and the block after each.
-#}
{%- set requires_systems = ['product'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}
{{ rwh_usage_incremental_config('block_index',
    "rwh_usage_rebuilt_blocks(rwh_usage_changed_periods('week', say=false))") }}
{%- set block_weeks = rwh_usage_block_weeks() -%}
{%- set rebuilt_blocks = rwh_usage_rebuilt_blocks(rwh_usage_changed_periods('week')) %}

with usage_daily as (

    select
        account_id,
        user_id,
        core_feature_events,
        _loaded_at,
        {{ rwh_week_index('usage_date') }} as week_index
    from {{ ref('stg_product__usage_daily') }}
    where {{ rwh_date_in('usage_date', rwh_usage_block_days(rebuilt_blocks, 4)) if is_incremental() else 'true' }}

),

positioned as (

    select
        account_id,
        user_id,
        core_feature_events,
        _loaded_at,
        cast(floor(week_index / {{ block_weeks }}.0) as bigint) as block_index,
        week_index - {{ block_weeks }} * cast(floor(week_index / {{ block_weeks }}.0) as bigint) as week_position
    from usage_daily

),

contribution_kinds as (

    select 'own' as contribution_kind
    union all
    select 'next_block' as contribution_kind

),

contributions as (

    {#- A day sets its week's bit in its own block and, in the last four weeks of a block, the look-back bit
        of the block after. #}
    select
        positioned.account_id,
        positioned.user_id,
        positioned.block_index
        + case when contribution_kinds.contribution_kind = 'next_block' then 1 else 0 end as block_index,
        case
            when contribution_kinds.contribution_kind = 'own' then {{ rwh_week_bit('positioned.week_position') }}
            else 0
        end as active_bit,
        case
            when contribution_kinds.contribution_kind = 'own' and positioned.core_feature_events > 0
                then {{ rwh_week_bit('positioned.week_position') }}
            else 0
        end as core_bit,
        case
            when contribution_kinds.contribution_kind = 'next_block'
                then {{ rwh_week_bit('positioned.week_position - ' ~ (block_weeks - 4)) }}
            else 0
        end as active_lookback_bit,
        case
            when contribution_kinds.contribution_kind = 'next_block' and positioned.core_feature_events > 0
                then {{ rwh_week_bit('positioned.week_position - ' ~ (block_weeks - 4)) }}
            else 0
        end as core_lookback_bit,
        positioned._loaded_at
    from positioned
    cross join contribution_kinds
    where
        contribution_kinds.contribution_kind = 'own'
        or positioned.week_position >= {{ block_weeks - 4 }}

)

select
    account_id,
    user_id,
    block_index,
    {{ rwh_week_start('block_index * ' ~ block_weeks) }} as block_start_date,
    bit_or(active_bit) as active_weeks_mask,
    bit_or(core_bit) as core_weeks_mask,
    bit_or(active_lookback_bit) as active_lookback_mask,
    bit_or(core_lookback_bit) as core_lookback_mask,
    max(_loaded_at) as last_loaded_at
from contributions
where {{ rwh_integer_in('block_index', rebuilt_blocks) if is_incremental() else 'true' }}
group by account_id, user_id, block_index
