{#- The days (ISO date strings) whose raw usage rows loaded at or before `window_start` (a SQL timestamp
    expression: the model's watermark less incremental_lookback_days) differ from the published ledger's:
    rows the look-back window cannot see. `say` logs them in one sentence. -#}
{% macro rwh_usage_unseen_days(window_start, say=true) -%}
    {%- set ledger = rwh_usage_ledger_relation() -%}
    {%- if ledger is none -%}
        {#- a warehouse built by an earlier version, or by runs that never selected the ledger: said, not fatal
            (the look-back still finds what it finds) -#}
        {%- if say -%}
            {{ log(this.identifier ~ ': WARNING: the published warehouse has no ledger of the raw usage '
                ~ '(staging.base_product__usage_daily_ledger), so rows loaded before the look-back window or deleted '
                ~ 'at the source cannot be found; a full build (rwh build) writes one', info=true) }}
        {%- endif -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set no_hour = "cast('1900-01-01' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set query -%}
        with window_start as (

            select {{ window_start }} as window_start

        ),

        raw_now as (

            select
                {{ rwh_usage_ledger_columns('raw_usage') | indent(16) }}
            from {{ rwh_raw('product', 'usage_daily') }} as raw_usage
            where raw_usage.usage_date is not null
            group by 1, 2

        ),

        now_before_window as (

            select raw_now.*
            from raw_now
            cross join window_start
            where raw_now.loaded_hour is null or raw_now.loaded_hour <= window_start.window_start

        ),

        then_before_window as (

            select ledger.*
            from {{ ledger }} as ledger
            cross join window_start
            where ledger.loaded_hour is null or ledger.loaded_hour <= window_start.window_start

        ),

        differing as (

            select
                coalesce(now_loads.usage_date, then_loads.usage_date) as usage_date,
                coalesce(now_loads.raw_rows, 0) - coalesce(then_loads.raw_rows, 0) as rows_added
            from now_before_window as now_loads
            full outer join then_before_window as then_loads
                on
                    now_loads.usage_date = then_loads.usage_date
                    and coalesce(now_loads.loaded_hour, {{ no_hour }}) = coalesce(then_loads.loaded_hour, {{ no_hour }})
            where
                coalesce(now_loads.raw_rows, 0) <> coalesce(then_loads.raw_rows, 0)
                or coalesce(now_loads.measure_checksum, 0) <> coalesce(then_loads.measure_checksum, 0)

        )

        select
            cast(differing.usage_date as {{ dbt.type_string() }}) as usage_date,
            sum(case when differing.rows_added > 0 then differing.rows_added else 0 end) as rows_added,
            sum(case when differing.rows_added < 0 then -differing.rows_added else 0 end) as rows_gone,
            cast(max(window_start.window_start) as {{ dbt.type_string() }}) as window_start
        from differing
        cross join window_start
        group by 1
        order by 1
    {%- endset -%}
    {%- set rows = run_query(query).rows -%}
    {%- set days = [] -%}
    {%- for row in rows -%}
        {%- do days.append(row[0][:10]) -%}
    {%- endfor -%}
    {%- if say and days -%}
        {%- set added = rows | sum(attribute=1) -%}
        {%- set gone = rows | sum(attribute=2) -%}
        {{ log(this.identifier ~ ': ' ~ days | length ~ ' day(s) (' ~ days[0] ~ ' to ' ~ days[-1] ~ ') changed outside '
            ~ 'the look-back window of the last run (rows loaded at or before ' ~ rows[0][3][:16] ~ ', its watermark '
            ~ 'less incremental_lookback_days ' ~ var('incremental_lookback_days') ~ '): against the ledger of the '
            ~ 'last published build, ' ~ added ~ ' raw row(s) more (loaded since with older load times), ' ~ gone
            ~ ' fewer (deleted at the source), or other values; rebuilding those days', info=true) }}
    {%- endif -%}
    {{ return(days) }}
{%- endmacro %}
