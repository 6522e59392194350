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
        {{ exceptions.raise_compiler_error('rwh_usage_partition_name: no partition for the period column '
            ~ period_column) }}
    {%- endif -%}
    {{ return(names[period_column]) }}
{%- endmacro %}
