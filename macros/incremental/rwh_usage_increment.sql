{#-
    Incremental runs of the usage facts (docs/incremental.md). An incremental usage model rebuilds only the
    days (or weeks) that rows loaded since its last run can change, and deletes then re-inserts them whole:
    the partitions are dates, so DuckDB and PostgreSQL use delete+insert on the date and Spark overwrites the
    date's partition (insert_overwrite), and no engine needs a merge.

    A day is changed when a raw usage row of that day
    - was loaded after the model's watermark (the latest `_loaded_at` it holds, less the
      incremental_lookback_days var for rows stamped before they arrived): a new row, a new version, a
      duplicate, a conflict, a row that breaks a rule, or a row the last run saw as loaded after the extract;
    - or belongs to an account whose place in the registry changed (rwh_known_accounts) since the model's
      last run: its usage has moved in or out of the unknown_account quarantine (registry tables are often
      reloaded whole every day, so their load times cannot tell).
    - or holds raw rows loaded at or before that window's start that differ from the ledger the last
      published build left (rwh_usage_unseen_days): rows stamped with an old load time, or deleted at the
      source, which the look-back cannot see.
    The changed periods are deleted by a pre-hook (rwh_delete_periods) and their rows inserted again.
    A full refresh (`dbt build --full-refresh`) rebuilds every day, as does the first run.
-#}

{#- The days (grain 'day') or Mondays (grain 'week') that rows loaded since this model's last run can change,
    as ISO date strings, in order; none outside an executing incremental run (a full build reads every day).
    `state` says what the model keeps of its last run:
    - 'facts' (the usage facts): `last_loaded_at`, the latest load behind each row (the watermark is its
      maximum), and every account with staged usage (the accounts known at the last run);
    - 'decisions' (base_product__usage_daily): `decided_as_of`, the latest raw load the run that decided
      each row read (the watermark is its maximum), and the accounts whose rows it quarantined as
      unknown_account.
    `say` logs what was found (the pre-hook that deletes the same periods asks again, quietly). -#}
{% macro rwh_usage_changed_periods(grain='day', state='facts', say=true) -%}
    {%- if not (execute and is_incremental()) -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set watermark_column = 'decided_as_of' if state == 'decisions' else 'last_loaded_at' -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if watermark_column not in columns -%}
        {{ exceptions.raise_compiler_error(this ~ ' was built by an earlier version of the project (it has no '
            ~ watermark_column ~ ' column to find what changed): run a full build once (rwh build, or dbt build '
            ~ '--full-refresh), then incremental runs again.') }}
    {%- endif -%}
    {%- set watermark -%}
        {{ dbt.dateadd('day', -var('incremental_lookback_days'),
            'coalesce((select max(' ~ watermark_column ~ ') from ' ~ this ~ "), cast('1900-01-01' as " ~ dbt.type_timestamp() ~ '))') }}
    {%- endset -%}
    {%- set period -%}
        {%- if grain == 'week' -%}
            cast({{ dbt.date_trunc('week', 'cast(raw_usage.usage_date as date)') }} as date)
        {%- else -%}
            cast(raw_usage.usage_date as date)
        {%- endif -%}
    {%- endset -%}
    {%- set query -%}
        with known_accounts as (

            select account_id from {{ rwh_known_accounts() }} as known

        ),

        {% if state == 'decisions' -%}
        then_accounts as (

            select distinct account_id from {{ this }}
            where row_quarantine_reason = 'unknown_account'

        ),

        now_accounts as (

            select distinct cast(raw_usage.account_id as {{ dbt.type_string() }}) as account_id
            from {{ source('product', 'usage_daily') }} as raw_usage
            where
                raw_usage.account_id is not null
                and cast(raw_usage.account_id as {{ dbt.type_string() }}) not in (select account_id from known_accounts)

        ),
        {%- else -%}
        then_accounts as (

            select distinct account_id from {{ this }}

        ),

        now_accounts as (

            select account_id from known_accounts

        ),
        {%- endif %}

        changed_accounts as (

            select account_id from now_accounts
            where account_id not in (select account_id from then_accounts)
            union all
            select account_id from then_accounts
            where account_id not in (select account_id from now_accounts)

        )

        select distinct {{ period }} as period_start_date
        from {{ source('product', 'usage_daily') }} as raw_usage
        where
            raw_usage.usage_date is not null
            and (
                cast(raw_usage._loaded_at as {{ dbt.type_timestamp() }}) > {{ watermark }}
                or cast(raw_usage.account_id as {{ dbt.type_string() }}) in (select account_id from changed_accounts)
            )
        order by 1
    {%- endset -%}
    {%- set periods = [] -%}
    {%- for row in run_query(query).rows -%}
        {%- do periods.append(row[0] | string) -%}
    {%- endfor -%}
    {#- and the days that rows outside the look-back window changed (rwh_usage_unseen_days) -#}
    {%- for day in rwh_usage_unseen_days(watermark, say=say) -%}
        {%- set unseen = modules.datetime.date.fromisoformat(day) -%}
        {%- set period = (unseen - modules.datetime.timedelta(days=unseen.weekday())).isoformat() if grain == 'week'
            else day -%}
        {%- if period not in periods -%}
            {%- do periods.append(period) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set periods = periods | sort -%}
    {%- set rebuilt = rwh_usage_rebuilt_days(periods) if grain == 'day' else periods -%}
    {%- if say -%}
        {{ log(this.identifier ~ ': ' ~ periods | length ~ ' ' ~ grain ~ '(s) changed since the last run'
            ~ (' (' ~ periods[0] ~ ' to ' ~ periods[-1] ~ ')' if periods else '')
            ~ ('; rebuilding their whole months, ' ~ rebuilt | length ~ ' days' if rebuilt | length != periods | length else ''),
            info=true) }}
    {%- endif -%}
    {{ return(rebuilt) }}
{%- endmacro %}

{#- The pre-hook of an incremental model: delete the periods the run rebuilds, the rows whose `column` is
    one of `periods` (ISO dates, or integers) or, with `null_too`, null, before the new rows are inserted.
    delete+insert alone would delete only the periods that still have rows, and a period can lose every row
    (an account leaving the registry, a key no longer needing a decision). Nothing on a full build. On Spark
    the periods are the table's partitions (rwh_partition_by), dropped whole: its Parquet tables have no
    delete, and insert_overwrite then writes the partitions that have rows. -#}
{% macro rwh_delete_periods(column, periods, null_too=false) -%}
    {{ return(adapter.dispatch('rwh_delete_periods', 'renewal_warehouse')(column, periods, null_too)) }}
{%- endmacro %}

{% macro default__rwh_delete_periods(column, periods, null_too) -%}
    {%- if is_incremental() -%}
        {%- set in_periods = rwh_integer_in(column, periods) if (periods and periods[0] is number)
            else rwh_date_in(column, periods) -%}
        delete from {{ this }} where {{ in_periods }}{{ ' or ' ~ column ~ ' is null' if null_too }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__rwh_delete_periods(column, periods, null_too) -%}
    {%- if is_incremental() and (periods or null_too) -%}
        {%- set partition = rwh_usage_partition_name(column) -%}
        {%- set specs = [] -%}
        {%- for period in periods -%}
            {%- set spec = partition ~ ' = ' ~ rwh_usage_partition_value(column, period) -%}
            {%- if spec not in specs -%}
                {%- do specs.append(spec) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if null_too -%}
            {%- do specs.append(partition ~ ' = null') -%}
        {%- endif -%}
        alter table {{ this }} drop if exists
        {%- for spec in specs %} partition ({{ spec }}){{ ',' if not loop.last }}{% endfor %}
    {%- endif -%}
{%- endmacro %}

{#-
    Spark partitions of the incremental usage models. A partition is the unit that insert_overwrite replaces
    and the pre-hook drops, so it must be a whole number of the periods a run rebuilds:
    - the day models (base_product__usage_daily, int_usage_account_days) are partitioned by month
      (usage_month): a day partition would be hundreds of tiny files per table at demo size (25 s to write
      int_usage_account_days instead of 4), and a run rebuilds the whole months of its changed days;
    - the week models by block (block_index): a run rebuilds whole blocks already.
    DuckDB and PostgreSQL delete and insert the periods themselves and have no partition column.
-#}
{% macro rwh_usage_partition_name(period_column) -%}
    {#- No macro calls here: partition_by reads it while dbt parses the model. #}
    {%- set names = {'usage_date': 'usage_month', 'week_start_date': 'block_index', 'block_index': 'block_index'} -%}
    {%- if period_column not in names -%}
        {{ exceptions.raise_compiler_error('rwh_usage_partition_name: no partition for the period column ' ~ period_column) }}
    {%- endif -%}
    {{ return(names[period_column]) }}
{%- endmacro %}

{#- The partition of a period as a SQL expression of the period (`period_expression`, the period column by
    default): none when the period column is the partition column. -#}
{% macro rwh_usage_partition_expression(period_column, period_expression=none) -%}
    {%- set period = period_expression or period_column -%}
    {%- if period_column == 'usage_date' -%}
        {{ return('cast(' ~ dbt.date_trunc('month', period) ~ ' as date)') }}
    {%- elif period_column == 'week_start_date' -%}
        {{ return('cast(floor(' ~ rwh_week_index(period) ~ ' / ' ~ rwh_usage_block_weeks() ~ '.0) as bigint)') }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- The partition value (a SQL literal) of one period: an ISO date or a block index. -#}
{% macro rwh_usage_partition_value(period_column, period) -%}
    {%- if period_column == 'usage_date' -%}
        {{ return("date'" ~ period[:7] ~ "-01'") }}
    {%- elif period_column == 'week_start_date' -%}
        {%- set epoch = modules.datetime.date.fromisoformat(rwh_week_epoch()) -%}
        {{ return(((modules.datetime.date.fromisoformat(period[:10]) - epoch).days // 7) // rwh_usage_block_weeks()) }}
    {%- else -%}
        {{ return(period) }}
    {%- endif -%}
{%- endmacro %}

{#- The partition_by config of an incremental usage model: its partition column on Spark (rwh_usage_partition_name),
    none elsewhere (delete+insert on the period). -#}
{% macro rwh_partition_by(period_column) -%}
    {{ return(adapter.dispatch('rwh_partition_by', 'renewal_warehouse')(period_column)) }}
{%- endmacro %}

{% macro default__rwh_partition_by(period_column) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__rwh_partition_by(period_column) -%}
    {{ return([rwh_usage_partition_name(period_column)]) }}
{%- endmacro %}

{#- The partition column as one more column of a select list (", <expression> as <name>") on Spark, when
    the model has no such column; nothing elsewhere. `period_expression` is the period in the query (the
    period column by default). -#}
{% macro rwh_partition_column(period_column, period_expression=none) -%}
    {{ return(adapter.dispatch('rwh_partition_column', 'renewal_warehouse')(period_column, period_expression)) }}
{%- endmacro %}

{% macro default__rwh_partition_column(period_column, period_expression) -%}
{%- endmacro %}

{% macro spark__rwh_partition_column(period_column, period_expression) -%}
    {%- set expression = rwh_usage_partition_expression(period_column, period_expression) -%}
    {%- if expression -%}
        , {{ expression }} as {{ rwh_usage_partition_name(period_column) }}
    {%- endif -%}
{%- endmacro %}

{#- The days a run rebuilds for its changed days: the same days, or on Spark every day of their months
    (the partitions it overwrites). -#}
{% macro rwh_usage_rebuilt_days(days) -%}
    {{ return(adapter.dispatch('rwh_usage_rebuilt_days', 'renewal_warehouse')(days)) }}
{%- endmacro %}

{% macro default__rwh_usage_rebuilt_days(days) -%}
    {{ return(days) }}
{%- endmacro %}

{% macro spark__rwh_usage_rebuilt_days(days) -%}
    {%- set months = [] -%}
    {%- for day in days if day[:7] not in months -%}
        {%- do months.append(day[:7]) -%}
    {%- endfor -%}
    {%- set rebuilt = [] -%}
    {%- for month in months -%}
        {%- set first = modules.datetime.date.fromisoformat(month ~ '-01') -%}
        {%- for offset in range(31) -%}
            {%- set day = first + modules.datetime.timedelta(days=offset) -%}
            {%- if day.month == first.month -%}
                {%- do rebuilt.append(day.isoformat()) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(rebuilt | sort) }}
{%- endmacro %}

{#- A predicate: `column` is one of the ISO `dates` (false for none). -#}
{% macro rwh_date_in(column, dates) -%}
    {%- if dates -%}
        {{ column }} in (
            {%- for date in dates -%}
                cast('{{ date[:10] }}' as date){{ ", " if not loop.last }}
            {%- endfor -%}
        )
    {%- else -%}
        1 = 0
    {%- endif -%}
{%- endmacro %}

{#- The incremental strategy of the date-partitioned models: no engine needs a merge. -#}
{% macro rwh_incremental_strategy() -%}
    {{ return(adapter.dispatch('rwh_incremental_strategy', 'renewal_warehouse')()) }}
{%- endmacro %}

{% macro default__rwh_incremental_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__rwh_incremental_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{#-
    Weekly activity as bits (int_usage_user_blocks, int_usage_account_weeks). Weeks are numbered from the
    Monday rwh_week_epoch(), 1970-01-05 (week index) and grouped in blocks of rwh_usage_block_weeks() weeks; a user's
    activity in a block is one bigint with a bit per week, plus the last four weeks of the block before
    (the look-back bits), so the four-week covers of every week of a block can be read off one row.
-#}
{% macro rwh_usage_block_weeks() -%}
    {{ return(13) }}
{%- endmacro %}

{#- The Monday week index 0 stands for (ISO date). -#}
{% macro rwh_week_epoch() -%}
    {{ return('1970-01-05') }}
{%- endmacro %}

{#- The week index of a date (weeks since rwh_week_epoch(); the date's Monday has the same index). -#}
{% macro rwh_week_index(date_expression) -%}
    cast(floor({{ dbt.datediff("cast('" ~ rwh_week_epoch() ~ "' as date)", date_expression, 'day') }} / 7.0) as bigint)
{%- endmacro %}

{#- The Monday of a week index (a SQL expression). -#}
{% macro rwh_week_start(week_index_expression) -%}
    cast({{ dbt.dateadd('day', '7 * (' ~ week_index_expression ~ ')', "cast('" ~ rwh_week_epoch() ~ "' as date)") }} as date)
{%- endmacro %}

{#- The bit of a week position (0 = the block's first week) as a bigint. -#}
{% macro rwh_week_bit(position_expression) -%}
    {{ rwh_shift_left('cast(1 as bigint)', position_expression) }}
{%- endmacro %}

{#- The block indexes an incremental run rebuilds for the changed weeks: each changed week's block and the
    block after it (whose look-back bits it feeds). -#}
{% macro rwh_usage_rebuilt_blocks(changed_weeks) -%}
    {%- set epoch = modules.datetime.date.fromisoformat(rwh_week_epoch()) -%}
    {%- set blocks = [] -%}
    {%- for week in changed_weeks -%}
        {%- set block = ((modules.datetime.date.fromisoformat(week[:10]) - epoch).days // 7) // rwh_usage_block_weeks() -%}
        {%- for b in [block, block + 1] if b not in blocks -%}
            {%- do blocks.append(b) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(blocks | sort) }}
{%- endmacro %}

{#- Every day of the given blocks, with `lookback_weeks` weeks before each block (ISO date strings). -#}
{% macro rwh_usage_block_days(blocks, lookback_weeks=0) -%}
    {%- set epoch = modules.datetime.date.fromisoformat(rwh_week_epoch()) -%}
    {%- set days = [] -%}
    {%- for block in blocks -%}
        {%- set first = epoch + modules.datetime.timedelta(days=7 * (block * rwh_usage_block_weeks() - lookback_weeks)) -%}
        {%- for offset in range(7 * (rwh_usage_block_weeks() + lookback_weeks)) -%}
            {%- do days.append((first + modules.datetime.timedelta(days=offset)).isoformat()) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(days | unique | sort) }}
{%- endmacro %}

{#- The Mondays of the given blocks (ISO date strings): the weeks int_usage_account_weeks rebuilds. -#}
{% macro rwh_usage_block_mondays(blocks) -%}
    {%- set epoch = modules.datetime.date.fromisoformat(rwh_week_epoch()) -%}
    {%- set mondays = [] -%}
    {%- for block in blocks -%}
        {%- for week in range(rwh_usage_block_weeks()) -%}
            {%- do mondays.append((epoch + modules.datetime.timedelta(days=7 * (block * rwh_usage_block_weeks() + week))).isoformat()) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(mondays | unique | sort) }}
{%- endmacro %}

{#- A predicate: an integer column is one of `values` (false for none). -#}
{% macro rwh_integer_in(column, values) -%}
    {%- if values -%}
        {{ column }} in ({{ values | join(', ') }})
    {%- else -%}
        1 = 0
    {%- endif -%}
{%- endmacro %}

{#- The four-week cover of a mask of week bits: bit i is set when one of bits i-3 to i is (masks hold at
    most 17 bits, so the shifts never overflow). -#}
{% macro rwh_cover(mask) -%}
    ({{ mask }} | {{ rwh_shift_left(mask, 1) }} | {{ rwh_shift_left(mask, 2) }} | {{ rwh_shift_left(mask, 3) }})
{%- endmacro %}

{#- Bit `position` of a non-negative bigint mask, as 0 or 1. -#}
{% macro rwh_bit_at(mask, position) -%}
    ({{ rwh_shift_right(mask, position) }} & 1)
{%- endmacro %}

{#- Bit shifts of a bigint, dispatched (Spark spells them as functions). -#}
{% macro rwh_shift_left(expression, bits) -%}
    {{ return(adapter.dispatch('rwh_shift_left', 'renewal_warehouse')(expression, bits)) }}
{%- endmacro %}

{% macro default__rwh_shift_left(expression, bits) -%}
    ({{ expression }} << cast({{ bits }} as integer))
{%- endmacro %}

{% macro spark__rwh_shift_left(expression, bits) -%}
    shiftleft({{ expression }}, {{ bits }})
{%- endmacro %}

{% macro rwh_shift_right(expression, bits) -%}
    {{ return(adapter.dispatch('rwh_shift_right', 'renewal_warehouse')(expression, bits)) }}
{%- endmacro %}

{% macro default__rwh_shift_right(expression, bits) -%}
    ({{ expression }} >> cast({{ bits }} as integer))
{%- endmacro %}

{% macro spark__rwh_shift_right(expression, bits) -%}
    shiftright({{ expression }}, {{ bits }})
{%- endmacro %}

{#-
    The ledger of the raw usage (base_product__usage_daily_ledger): what an incremental run compares the raw
    table with to find the days that rows outside its look-back window changed. The look-back reads again the
    rows loaded since a model's watermark less incremental_lookback_days; a row stamped with an older load
    time (a back-fill, a source that keeps its original load time) or a row deleted at the source is outside
    it. Every published build leaves the ledger of the raw rows it read, per usage day and load hour: their
    count and a checksum of their measures. A day whose rows loaded at or before the window's start differ
    from the ledger's is changed too (a row whose key alone changes, with the same measures and load hour,
    is not seen: the checksum adds up measures, which is cheap on every engine).
-#}
{% macro rwh_usage_ledger_columns(alias) -%}
    cast({{ alias }}.usage_date as date) as usage_date,
    {{ dbt.date_trunc('hour', 'cast(' ~ alias ~ '._loaded_at as ' ~ dbt.type_timestamp() ~ ')') }} as loaded_hour,
    count(*) as raw_rows,
    sum(
        coalesce(cast({{ alias }}.sessions as {{ dbt.type_bigint() }}), 0)
        + 7 * coalesce(cast({{ alias }}.active_minutes as {{ dbt.type_bigint() }}), 0)
        + 31 * coalesce(cast({{ alias }}.core_feature_events as {{ dbt.type_bigint() }}), 0)
        + 127 * coalesce(cast({{ alias }}.other_feature_events as {{ dbt.type_bigint() }}), 0)
    ) as measure_checksum
{%- endmacro %}

{#- The ledger the last published build left: the published relation of base_product__usage_daily_ledger
    (schema staging without the shadow or slot suffix a build writes into), or none. -#}
{% macro rwh_usage_ledger_relation() -%}
    {{ return(adapter.get_relation(database=this.database, schema='staging',
                                   identifier='base_product__usage_daily_ledger')) }}
{%- endmacro %}

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
            from {{ source('product', 'usage_daily') }} as raw_usage
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
