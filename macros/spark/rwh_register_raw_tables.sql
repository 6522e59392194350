{#-
    Spark reads the raw extract where DuckDB reads it: the Parquet files of each source's external_location
    (under RWH_RAW_DIR). Before a run on Spark, every enabled source table is (re)registered as an external
    Parquet table of the metastore, so source() resolves to the files of this extract; a contract table a
    vendor adapter makes instead (RWH_SOURCE_FORMATS) has no file and is skipped. Other engines: nothing (DuckDB reads the files directly, PostgreSQL gets them from `rwh load-postgres`).
-#}
{% macro rwh_register_raw_tables() -%}
    {%- if execute and target.type == 'spark' -%}
        {%- for source_node in graph.sources.values() if source_node.config.enabled
            and rwh_replacing_vendor(source_node.source_name, source_node.name) is none -%}
            {%- set location = source_node.meta.get('external_location', '').format(name=source_node.name) -%}
            {%- if location -%}
                {%- do run_query('create database if not exists ' ~ source_node.schema) -%}
                {%- do run_query('drop table if exists ' ~ source_node.schema ~ '.' ~ source_node.identifier) -%}
                {%- do run_query(
                    'create table ' ~ source_node.schema ~ '.' ~ source_node.identifier
                    ~ " using parquet location '" ~ location ~ "'"
                ) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
