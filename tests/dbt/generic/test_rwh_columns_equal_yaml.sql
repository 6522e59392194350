{#-
    The model's built columns equal the columns its YAML lists, in the same order: a column the model
    computes but the YAML does not document (a bookkeeping column leaking into a staged view), or one the
    YAML promises but the model lost, fails the build with one row per difference. Engine partition
    columns (partition_by, e.g. usage_month on Spark) are not the model's own columns and are left out.
    The columns are read when the test runs, after the model is built (compiling alone reads nothing).
-#}
{% test rwh_columns_equal_yaml(model) %}
    {%- if not execute -%}
select problem from (select 'none' as problem) as no_problem where 1 = 0
    {%- else -%}
    {%- set node = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
                   | selectattr('name', 'equalto', model.identifier) | first -%}
    {%- set declared = node.columns.keys() | map('lower') | list -%}
    {%- set partition_by = node.config.get('partition_by') or [] -%}
    {%- set partition_columns = ([partition_by] if partition_by is string else partition_by) | map('lower') | list -%}
    {%- set built = [] -%}
    {%- if flags.WHICH in ['build', 'test'] -%}
        {%- for column in adapter.get_columns_in_relation(model) if column.name | lower not in partition_columns -%}
            {%- do built.append(column.name | lower) -%}
        {%- endfor -%}
    {%- else -%}
        {%- set built = declared -%}
    {%- endif -%}
    {%- set problems = [] -%}
    {%- for c in built if c not in declared -%}
        {%- do problems.append(c ~ ' is built but not in the YAML') -%}
    {%- endfor -%}
    {%- for c in declared if c not in built -%}
        {%- do problems.append(c ~ ' is in the YAML but not built') -%}
    {%- endfor -%}
    {%- if not problems and built != declared -%}
        {%- do problems.append('columns in another order than the YAML: built ' ~ built | join(', ')) -%}
    {%- endif %}

    {% if problems -%}
        {%- for p in problems %}
select '{{ node.name }}: {{ p }}' as problem
            {%- if not loop.last %} union all{% endif %}
        {%- endfor %}
    {%- else -%}
select problem from (select 'none' as problem) as no_problem where 1 = 0
    {%- endif %}
    {%- endif %}
{% endtest %}
