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
