{#- Before a build: empty the slot that is not published (dropping what a failed build left there) and, for
    an incremental run, copy the published tables of `incremental_tables` ("schema.table" names) into it,
    with their partitions. Logs the slot to build into. -#}
{% macro rwh_spark_prepare_slot(incremental_tables=[]) -%}
    {%- set published = rwh_spark_published_slot() -%}
    {%- set slot = 'green' if published == 'blue' else 'blue' -%}
    {%- for layer in rwh_spark_layers() -%}
        {%- do run_query('drop database if exists ' ~ layer ~ '__' ~ slot ~ ' cascade') -%}
    {%- endfor -%}
    {%- if published -%}
        {%- for name in incremental_tables -%}
            {%- set schema, table = name.split('.') -%}
            {%- set source = schema ~ '__' ~ published ~ '.' ~ table -%}
            {%- if load_relation(api.Relation.create(schema=schema ~ '__' ~ published, identifier=table)) is none -%}
                {{ log('rwh: ' ~ name ~ ' is not published yet: built in full', info=true) }}
            {%- else -%}
                {%- set partitions = [] -%}
                {%- set in_partitions = namespace(on=false) -%}
                {%- for row in run_query('describe table ' ~ source).rows -%}
                    {%- if row[0] == '# Partition Information' -%}
                        {%- set in_partitions.on = true -%}
                    {%- elif in_partitions.on and row[0] and not row[0].startswith('#') -%}
                        {%- do partitions.append(row[0]) -%}
                    {%- endif -%}
                {%- endfor -%}
                {%- do run_query('create database if not exists ' ~ schema ~ '__' ~ slot) -%}
                {%- do run_query('create table ' ~ schema ~ '__' ~ slot ~ '.' ~ table ~ ' using parquet'
                    ~ (' partitioned by (' ~ partitions | join(', ') ~ ')' if partitions else '')
                    ~ ' as select * from ' ~ source) -%}
                {{ log('rwh: ' ~ name ~ ' copied to ' ~ schema ~ '__' ~ slot ~ ' to build on incrementally',
                    info=true) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ log('rwh build slot: ' ~ slot, info=true) }}
{%- endmacro %}
