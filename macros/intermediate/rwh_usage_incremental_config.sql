{#-
    The header of the incremental usage facts (int_usage_account_days, int_usage_user_blocks,
    int_usage_account_weeks; docs/incremental.md, macros/incremental/rwh_usage_changed_periods.sql): their config
    and their dependency on the account registry: incremental on its period column (the unique key, and on
    Spark the partition, through rwh_partition_by), with the engine's strategy (rwh_incremental_strategy),
    failing on a schema change, and a pre-hook that deletes the periods the run rebuilds (rwh_delete_periods).
    The systems a model requires stay in its own file, as in every model (docs/source-systems.md).
    - period_column: the period column (usage_date, block_index, week_start_date);
    - rebuilt_periods: the Jinja expression (as a string) of the periods the run rebuilds, for the pre-hook,
      rendered when the hook runs; ask quietly (say=false): the model's own call logs them.
    The registry (rwh_known_accounts) is read by rwh_usage_changed_periods: the depends_on comment the macro
    writes makes it a dependency of the model. So is the raw usage when a vendor's adapter makes it
    (rwh_raw: Segment's adapt_segment__usage_daily, docs/sources/segment.md), which that macro reads too (not
    in a unit test: its inputs are the model's refs, and an incremental run's check does not run there).
-#}
{% macro rwh_usage_incremental_config(period_column, rebuilt_periods) -%}
    {{ config(
        materialized='incremental',
        incremental_strategy=rwh_incremental_strategy(),
        unique_key=period_column,
        partition_by=rwh_partition_by(period_column),
        on_schema_change='fail',
        pre_hook="{{ rwh_delete_periods('" ~ period_column ~ "', " ~ rebuilt_periods ~ ") }}",
    ) }}
-- depends_on: {{ rwh_known_accounts() }}
{%- set in_unit_test = execute and model.resource_type == 'unit_test' -%}
{%- if rwh_replacing_vendor('product', 'usage_daily') is not none and not in_unit_test %}
-- depends_on: {{ rwh_raw('product', 'usage_daily') }}
{%- endif %}
{%- endmacro %}
