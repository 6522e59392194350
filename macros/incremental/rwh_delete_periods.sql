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
