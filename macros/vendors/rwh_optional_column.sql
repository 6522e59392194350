{#-
    A column a vendor's loader lands only sometimes (Fivetran's history-mode _fivetran_start, a newer API
    field, an org's custom field): the column when the relation has it, else a typed null. Read from the
    relation at run time (a zero-row select, so it works for files and tables alike); at parse time, the null.
    In a unit test the relation is the test's fixture, which states its columns: the column is read as given.
-#}
{% macro rwh_optional_column(relation, column, type) -%}
    {%- if execute and model.resource_type == 'unit_test' -%}
        {{ return(adapter.quote(column)) }}
    {%- elif execute -%}
        {%- set probe = run_query('select * from ' ~ relation ~ ' where 1 = 0') -%}
        {%- if column | lower in probe.column_names | map('lower') | list -%}
            {{ return(adapter.quote(column)) }}
        {%- endif -%}
    {%- endif -%}
    {{ return('cast(null as ' ~ type ~ ')') }}
{%- endmacro %}
