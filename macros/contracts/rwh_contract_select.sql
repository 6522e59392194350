{#-
    The last select of a contracted mart: every column its YAML declares, in that order, cast to the declared
    data_type. Engines type the same expression differently (DuckDB sums integers into HUGEINT, PostgreSQL
    into numeric or bigint; a benchmark bound is DOUBLE on one and numeric on the other), so a mart states its
    types once, in YAML, and every engine produces exactly those (docs/reporting-grammar.md). dbt's contract
    check still compares the result with the YAML, so a column missing from either side fails the build.
-#}
{% macro rwh_contract_select(relation) -%}
    {#-
        At parse time the YAML is not attached to the model yet, and a unit test renders the model without
        its YAML (dbt gives it no graph): both read the columns as the model computes them. Unit tests
        compare values, and the contract is checked on every real build.
    -#}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return('select * from ' ~ relation) }}
    {%- endif -%}
    {%- set node = model -%}
    {%- set columns = node.columns.values() | list -%}
    {%- if not columns -%}
        {{ exceptions.raise_compiler_error("rwh_contract_select: " ~ node.name ~ " declares no columns in its YAML") }}
    {%- endif -%}
    {%- set untyped = columns | rejectattr('data_type') | map(attribute='name') | list -%}
    {%- if untyped -%}
        {{ exceptions.raise_compiler_error("rwh_contract_select: " ~ node.name ~ " declares no data_type for "
            ~ untyped) }}
    {%- endif %}
select
    {%- for column in columns %}
    cast({{ relation }}.{{ column.name }} as {{ rwh_column_type(column.data_type) }})
        as {{ column.name }}{{ "," if not loop.last }}
    {%- endfor %}
from {{ relation }}
{%- endmacro %}
