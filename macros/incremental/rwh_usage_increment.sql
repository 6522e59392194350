{#-
    Incremental runs of the usage facts (docs/incremental.md). An incremental usage model rebuilds only the
    days (or weeks) that rows loaded since its last run can change, and deletes then re-inserts them whole:
    the partitions are dates, so DuckDB and PostgreSQL use delete+insert on the date and Spark overwrites the
    date's partition (insert_overwrite), and no engine needs a merge.

    A day is changed when a raw usage row of that day
    - was loaded after the model's watermark (the latest `_loaded_at` it holds, less the
      incremental_lookback_days var for rows stamped before they arrived): a new row, a new version, a
      duplicate, a conflict, a row that breaks a rule, or a row the last run saw as loaded after the extract;
    - or belongs to an account that is known now (rwh_known_accounts) and absent from the model, or present
      in the model and no longer known: its usage has moved in or out of the unknown_account quarantine
      (registry tables are often reloaded whole every day, so their load times cannot tell).
    A full refresh (`dbt build --full-refresh`) rebuilds every day, as does the first run.
-#}

{#- The days (grain 'day') or Mondays (grain 'week') that rows loaded since this model's last run can change,
    as ISO date strings, in order. Runs a query: call it only when executing an incremental run. -#}
{% macro rwh_usage_changed_periods(grain='day') -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if 'last_loaded_at' not in columns -%}
        {{ exceptions.raise_compiler_error(this ~ ' was built by an earlier version of the project (it has no '
            ~ 'last_loaded_at column to find what changed): run a full build once (rwh build, or dbt build '
            ~ '--full-refresh), then incremental runs again.') }}
    {%- endif -%}
    {%- set watermark -%}
        {{ dbt.dateadd('day', -var('incremental_lookback_days'),
            'coalesce((select max(last_loaded_at) from ' ~ this ~ "), cast('1900-01-01' as " ~ dbt.type_timestamp() ~ '))') }}
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

        processed_accounts as (

            select distinct account_id from {{ this }}

        ),

        changed_accounts as (

            select account_id from known_accounts
            where account_id not in (select account_id from processed_accounts)
            union all
            select account_id from processed_accounts
            where account_id not in (select account_id from known_accounts)

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
    {{ log(this.identifier ~ ': ' ~ periods | length ~ ' ' ~ grain ~ '(s) changed since the last run'
        ~ (' (' ~ periods[0] ~ ' to ' ~ periods[-1] ~ ')' if periods else ''), info=true) }}
    {{ return(periods) }}
{%- endmacro %}

{#- The ISO dates `days` after (or before, when negative) each date of `dates`, for each offset. -#}
{% macro rwh_shift_dates(dates, offsets_in_days) -%}
    {%- set shifted = [] -%}
    {%- for date in dates -%}
        {%- for offset in offsets_in_days -%}
            {%- set day = modules.datetime.date.fromisoformat(date[:10]) + modules.datetime.timedelta(days=offset) -%}
            {%- if day.isoformat() not in shifted -%}
                {%- do shifted.append(day.isoformat()) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(shifted | sort) }}
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
