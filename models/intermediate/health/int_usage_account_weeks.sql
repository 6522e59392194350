{#-
    One row per account and week (Monday) where something about its usage happens: the users active in the
    week and their active days, and the changes of its rolling four-week user counts. The weekly health
    signals read this compact table instead of every user's activity.

    Distinct users over four weeks are counted without a self-join or a window: a user is counted in week W
    when active in one of weeks W-3 to W (the user's cover). From a user-block row of
    int_usage_user_blocks, the cover of each week of the block is an OR of the activity bits shifted by
    0 to 3 weeks (the look-back bits supply the weeks before the block), and active_user_delta is the number
    of users whose cover starts in the week less those whose cover ended the week before, so the running sum
    of the deltas over an account's weeks is its monthly active users. core_user_delta does the same for
    users of a core feature. A cover ends four weeks after the last activity, so the table holds a few
    weeks past the latest usage.

    Incremental by week: a run rebuilds the weeks of the blocks int_usage_user_blocks rebuilt. On Spark the
    table also has block_index, its partition (docs/spark.md).
-#}
{%- set requires_systems = ['product'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}
{{ rwh_usage_incremental_config(
    'week_start_date',
    "rwh_usage_block_mondays(rwh_usage_rebuilt_blocks(rwh_usage_changed_periods('week', say=false)))"
) }}
{%- set block_weeks = rwh_usage_block_weeks() -%}
{%- set rebuilt_blocks = rwh_usage_rebuilt_blocks(rwh_usage_changed_periods('week')) %}

with user_blocks as (

    select * from {{ ref('int_usage_user_blocks') }}
    where {{ rwh_integer_in('block_index', rebuilt_blocks) if is_incremental() else 'true' }}

),

account_days as (

    select * from {{ ref('int_usage_account_days') }}
    where {{ rwh_date_in('usage_date', rwh_usage_block_days(rebuilt_blocks)) if is_incremental() else 'true' }}

),

extended as (

    {#- Bits 0-3: the four weeks before the block; bits 4-{{ block_weeks + 3 }}: the block's weeks. #}
    select
        account_id,
        block_index,
        active_weeks_mask,
        {{ rwh_shift_left('active_weeks_mask', 4) }} | active_lookback_mask as active_extended,
        {{ rwh_shift_left('core_weeks_mask', 4) }} | core_lookback_mask as core_extended,
        last_loaded_at
    from user_blocks

),

covers as (

    select
        account_id,
        block_index,
        active_weeks_mask,
        {{ rwh_cover('active_extended') }} as active_cover,
        {{ rwh_cover('core_extended') }} as core_cover,
        last_loaded_at
    from extended

),

block_sums as (

    {#- Per account and block, week by week: users active, and covers started less covers ended. The
        generated columns are laid out by the loops, not by the layout rule. #}
    -- noqa: disable=LT02
    select
        account_id,
        block_index,
    {% for position in range(block_weeks) %}
        sum({{ rwh_bit_at('active_weeks_mask', position) }}) as weekly_active_users_{{ position }},
        sum({{ rwh_bit_at('active_cover', position + 4) }} - {{ rwh_bit_at('active_cover', position + 3) }})
            as active_user_delta_{{ position }},
        sum({{ rwh_bit_at('core_cover', position + 4) }} - {{ rwh_bit_at('core_cover', position + 3) }})
            as core_user_delta_{{ position }},
    {% endfor %}
        max(last_loaded_at) as last_loaded_at
    from covers
    group by 1, 2

),
-- noqa: enable=LT02

positions as (

    {{ rwh_integers(2, 'week_position') }}

),

usage_weeks as (

    -- noqa: disable=LT02
    select
        block_sums.account_id,
        {{ rwh_week_start('block_sums.block_index * ' ~ block_weeks ~ ' + positions.week_position') }}
            as week_start_date,
    {% for measure in ['weekly_active_users', 'active_user_delta', 'core_user_delta'] %}
        case positions.week_position
            {% for position in range(block_weeks) -%}
            when {{ position }} then block_sums.{{ measure }}_{{ position }}
            {% endfor -%}
        end as {{ measure }},
    {% endfor %}
        block_sums.last_loaded_at
    from block_sums
    inner join positions
        on positions.week_position < {{ block_weeks }}

),
-- noqa: enable=LT02

active_days_by_week as (

    select
        account_id,
        cast({{ dbt.date_trunc('week', 'usage_date') }} as date) as week_start_date,
        sum(active_users) as active_user_days
    from account_days
    group by 1, 2

)

select
    usage_weeks.account_id,
    usage_weeks.week_start_date,
    usage_weeks.weekly_active_users,
    coalesce(active_days_by_week.active_user_days, 0) as active_user_days,
    usage_weeks.active_user_delta,
    usage_weeks.core_user_delta,
    -- noqa: disable=LT02
    usage_weeks.last_loaded_at{{ rwh_partition_column('week_start_date', 'usage_weeks.week_start_date') }}
    -- noqa: enable=LT02
from usage_weeks
left join active_days_by_week
    on
        usage_weeks.account_id = active_days_by_week.account_id
        and usage_weeks.week_start_date = active_days_by_week.week_start_date
where
    usage_weeks.weekly_active_users != 0
    or usage_weeks.active_user_delta != 0
    or usage_weeks.core_user_delta != 0
