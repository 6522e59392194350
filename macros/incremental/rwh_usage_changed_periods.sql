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
            'coalesce((select max(' ~ watermark_column ~ ') from ' ~ this ~ "), cast('1900-01-01' as "
                ~ dbt.type_timestamp() ~ '))') }}
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
            from {{ rwh_raw('product', 'usage_daily') }} as raw_usage
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
        from {{ rwh_raw('product', 'usage_daily') }} as raw_usage
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
            ~ ('; rebuilding their whole months, ' ~ rebuilt | length ~ ' days' if rebuilt | length != periods | length
                else ''),
            info=true) }}
    {%- endif -%}
    {{ return(rebuilt) }}
{%- endmacro %}
