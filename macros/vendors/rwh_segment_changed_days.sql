{#-
    The usage days an incremental run of adapt_segment__usage_daily rebuilds (docs/sources/segment.md), as ISO date
    strings in order; none outside an executing incremental run (a full build reads every event). A day is changed
    when a track row of that day was synced after the model's watermark (the latest _loaded_at it holds, less the
    incremental_lookback_days var); or is an anonymous event of a device whose identify call was synced after it (it
    may now have a user); or is an event of a user whose group call was synced after it (it may now have an
    account), or of any user of a group whose account (its latest non-null trait) a late call changed. On Spark a run rebuilds the
    whole months of those days (rwh_usage_rebuilt_days: the partitions it overwrites). `say` logs what was found.
-#}
{% macro rwh_segment_changed_days(say=true) -%}
    {%- if not (execute and is_incremental()) -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set str = dbt.type_string() -%}
    {%- set ts = dbt.type_timestamp() -%}
    {%- set watermark -%}
        {{ dbt.dateadd('day', -var('incremental_lookback_days'),
            'coalesce((select max(_loaded_at) from ' ~ this ~ "), cast('1900-01-01' as " ~ ts ~ '))') }}
    {%- endset -%}
    {%- set query -%}
        with group_calls as (

            {{ rwh_segment_group_calls() }}

        ),

        late_calls as (

            select
                user_id,
                group_id
            from group_calls
            where synced_at > {{ watermark }}

        ),

        traits as (

            select
                group_id,
                account_id,
                synced_at <= {{ watermark }} as was_seen,
                row_number() over (
                    partition by group_id
                    order by called_at desc, synced_at desc, group_call_id desc
                ) as now_rank,
                row_number() over (
                    partition by group_id, case when synced_at <= {{ watermark }} then 0 else 1 end
                    order by called_at desc, synced_at desc, group_call_id desc
                ) as then_rank
            from group_calls
            where account_id is not null

        ),

        moved_groups as (

            {#- a group with a late call whose account (its latest non-null trait) is not what it was -#}
            select traits_now.group_id
            from traits as traits_now
            left join traits as traits_then
                on
                    traits_now.group_id = traits_then.group_id
                    and traits_then.was_seen
                    and traits_then.then_rank = 1
            where
                traits_now.now_rank = 1
                and traits_now.group_id in (select late_calls.group_id from late_calls)
                and (traits_then.account_id is null or traits_then.account_id != traits_now.account_id)

        ),

        late_users as (

            select late_calls.user_id from late_calls
            union all
            select group_calls.user_id from group_calls
            where group_calls.group_id in (select moved_groups.group_id from moved_groups)

        ),

        late_devices as (

            select cast(anonymous_id as {{ str }}) as anonymous_id
            from {{ source('segment', 'identifies') }}
            where cast(_fivetran_synced as {{ ts }}) > {{ watermark }}

        )

        select distinct cast(cast(tracks.{{ adapter.quote('timestamp') }} as {{ ts }}) as date) as usage_date
        from {{ source('segment', 'tracks') }} as tracks
        where
            tracks.{{ adapter.quote('timestamp') }} is not null
            and (
                cast(tracks._fivetran_synced as {{ ts }}) > {{ watermark }}
                or cast(tracks.user_id as {{ str }}) in (
                    select late_users.user_id from late_users where late_users.user_id is not null
                )
                or (
                    tracks.user_id is null
                    and cast(tracks.anonymous_id as {{ str }}) in (
                        select late_devices.anonymous_id from late_devices where late_devices.anonymous_id is not null
                    )
                )
            )
        order by 1
    {%- endset -%}
    {%- set days = [] -%}
    {%- for row in run_query(query).rows -%}
        {%- do days.append(row[0] | string) -%}
    {%- endfor -%}
    {%- set rebuilt = rwh_usage_rebuilt_days(days) -%}
    {%- if say -%}
        {{ log(this.identifier ~ ': ' ~ days | length ~ ' day(s) of Segment events changed since the last run'
            ~ (' (' ~ days[0] ~ ' to ' ~ days[-1] ~ ')' if days else '')
            ~ ('; rebuilding their whole months, ' ~ rebuilt | length ~ ' days' if rebuilt | length != days | length
                else ''), info=true) }}
    {%- endif -%}
    {{ return(rebuilt) }}
{%- endmacro %}
