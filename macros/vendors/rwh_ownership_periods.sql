{#-
    The ownership periods of a CRM whose owner history is a sequence of values in time order (Salesforce's account
    versions in history mode, HubSpot's owner property history), as a subquery: one row per period with
    account_id, version_number (the value that starts it), owner_user_id (null: an ownerless run, which makes no
    period), valid_from and next_valid_from (the next run's first day: the period ends the day before; null while
    current).

    `values` names a relation (a CTE) with one row per value: account_id, version_number (1, 2, ... in time
    order), owner_user_id, previous_owner_user_id (the value before), effective_at (when it was set), synced_at
    and created_at (the account's creation). A run starts where the owner changes (null-safe); when two runs start
    on one day the later one counts, and when that leaves the owner as the day before had it (U1 to U2 and back in
    a day) no period starts. The first run starts at the account's creation when the history begins later (the
    history before it is not in the CRM).
-#}
{% macro rwh_ownership_periods(values) -%}
    {%- set run_start_date -%}
        case
            when run_values.version_number = 1 and run_values.created_at < run_values.effective_at
                then cast(run_values.created_at as date)
            else cast(run_values.effective_at as date)
        end
    {%- endset -%}
    (
        select
            day_runs.account_id,
            day_runs.version_number,
            day_runs.owner_user_id,
            day_runs.run_start_date as valid_from,
            lead(day_runs.run_start_date) over (
                partition by day_runs.account_id order by day_runs.run_start_date
            ) as next_valid_from
        from (
            {#- the run that counts on each day it starts (the later of two changes in a day), and the owner before #}
            select
                run_starts.account_id,
                run_starts.version_number,
                run_starts.owner_user_id,
                run_starts.run_start_date,
                lag(run_starts.owner_user_id) over (
                    partition by run_starts.account_id order by run_starts.run_start_date
                ) as previous_day_owner_user_id,
                row_number() over (
                    partition by run_starts.account_id order by run_starts.run_start_date
                ) as day_run_number
            from (
                select
                    run_values.account_id,
                    run_values.version_number,
                    run_values.owner_user_id,
                    {{ run_start_date }} as run_start_date,
                    row_number() over (
                        partition by run_values.account_id, {{ run_start_date }}
                        order by run_values.effective_at desc, run_values.synced_at desc
                    ) as same_day_rank
                from {{ values }} as run_values
                where
                    run_values.version_number = 1
                    or coalesce(run_values.previous_owner_user_id, '~') != coalesce(run_values.owner_user_id, '~')
            ) as run_starts
            where run_starts.same_day_rank = 1
        ) as day_runs
        {#- a day's runs that end where they started (U1 to U2 and back to U1) change no owner: no new period #}
        where
            day_runs.day_run_number = 1
            or coalesce(day_runs.previous_day_owner_user_id, '~') != coalesce(day_runs.owner_user_id, '~')
    )
{%- endmacro %}


{#-
    The three columns a value that starts an ownership period carries, joined to rwh_ownership_periods' row as
    `periods`: ownership_id (the account id '~' the period's first day, yyyymmdd), valid_from and valid_to (the day
    before the next period starts; null while current); null on the other values.
-#}
{% macro rwh_ownership_period_columns(account_id) -%}
    {%- set str = dbt.type_string() -%}
    case
        when periods.owner_user_id is not null
            then {{ dbt.concat([account_id, "'~'", "replace(cast(periods.valid_from as " ~ str ~ "), '-', '')"]) }}
    end as ownership_id,
    case when periods.owner_user_id is not null then periods.valid_from end as valid_from,
    case
        when periods.owner_user_id is not null
            then cast({{ dbt.dateadd('day', -1, 'periods.next_valid_from') }} as date)
    end as valid_to
{%- endmacro %}
