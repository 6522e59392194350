{#-
    Publishing on Spark: `rwh build --target spark` (src/renewal_warehouse/pipeline/build.py) publishes a build only
    when every model and test passed, as on DuckDB and PostgreSQL. Spark cannot rename a database nor move a
    table between databases, so the layers are published as views:

    - the tables of a build live in one of two slots, `<layer>__blue` or `<layer>__green` (staging__blue,
      marts__blue ...): dbt builds into the slot that is not published (RWH_SCHEMA_SUFFIX), after
      rwh_spark_prepare_slot dropped what it held;
    - the published layers (`staging`, `intermediate`, `marts`, `reference`) hold one view per table of the
      published slot; rwh_spark_publish_slot points them at the new slot once the build passed, and
      records the slot in the `marts` database's properties (rwh.published_slot);
    - the previous slot is kept until the next build, so a query that started on it finishes.

    Each view is replaced on its own (the metastore has no transaction): for the few seconds the views take,
    a reader can see the new build of one table and the previous build of another. A failed build changes no
    view. Run with `dbt run-operation` (rwh build does), on Spark only.
-#}

{#- After a build that passed: point the published layers' views at `slot`, drop the views of tables the
    slot no longer has, and record the slot. -#}
{% macro rwh_spark_publish_slot(slot) -%}
    {%- if slot not in ['blue', 'green'] -%}
        {{ exceptions.raise_compiler_error("rwh_spark_publish_slot: slot must be 'blue' or 'green', not " ~ slot) }}
    {%- endif -%}
    {%- set layers = {} -%}
    {%- for layer in rwh_spark_layers() -%}
        {%- do run_query('create database if not exists ' ~ layer) -%}
        {%- set tables = run_query('show tables in ' ~ layer ~ '__' ~ slot).columns[1].values() | list -%}
        {%- set views = [] -%}
        {%- for row in run_query('show views in ' ~ layer).rows if row[0] == layer -%}
            {%- do views.append(row[1]) -%}
        {%- endfor -%}
        {%- for row in run_query('show tables in ' ~ layer).rows if row[0] == layer and row[1] not in views -%}
            {{ exceptions.raise_compiler_error(layer ~ '.' ~ row[1] ~ ' is a table, not a view of a published build '
                ~ '(a dbt build run straight into the published layers?): drop it, or build into another '
                ~ 'RWH_SPARK_WAREHOUSE_DIR; nothing was published') }}
        {%- endfor -%}
        {%- do layers.update({layer: {'tables': tables, 'views': views}}) -%}
    {%- endfor -%}
    {%- set published = namespace(views=0) -%}
    {%- for layer in rwh_spark_layers() -%}
        {%- for table in layers[layer].tables -%}
            {%- do run_query('create or replace view ' ~ layer ~ '.' ~ table ~ ' as select * from '
                ~ layer ~ '__' ~ slot ~ '.' ~ table) -%}
            {%- set published.views = published.views + 1 -%}
        {%- endfor -%}
        {%- for view in layers[layer].views if view not in layers[layer].tables -%}
            {%- do run_query('drop view if exists ' ~ layer ~ '.' ~ view) -%}
        {%- endfor -%}
        {%- do run_query('alter database ' ~ layer ~ " set dbproperties ('rwh.published_slot' = '" ~ slot ~ "')") -%}
    {%- endfor -%}
    {{ log('rwh published slot: ' ~ slot ~ ' (' ~ published.views ~ ' views)', info=true) }}
{%- endmacro %}
