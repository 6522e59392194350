{#-
    The source systems this deployment has (docs/metrics.md section 1, "source systems"): declared in
    RWH_SOURCE_SYSTEMS as a comma-separated list, default all five. Never guessed from missing tables.
    Billing is required (the smallest useful set). The same declaration enables the staging folders and
    sources (dbt_project.yml, generated source YAML) and the models below through rwh_has_systems().
-#}
{% macro rwh_source_systems() -%}
    {%- set known = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
    {%- set declared = env_var('RWH_SOURCE_SYSTEMS', 'billing,crm,product,support,cs_platform') -%}
    {%- set systems = [] -%}
    {%- for part in declared.split(',') -%}
        {%- set name = part | trim | lower -%}
        {%- if name and name not in systems -%}{%- do systems.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {%- set unknown = systems | reject('in', known) | list -%}
    {%- if unknown -%}
        {{ exceptions.raise_compiler_error(
            "RWH_SOURCE_SYSTEMS names unknown source system(s) " ~ unknown | join(', ')
            ~ "; the known ones are " ~ known | join(', ') ~ ".") }}
    {%- endif -%}
    {%- if 'billing' not in systems -%}
        {{ exceptions.raise_compiler_error(
            "RWH_SOURCE_SYSTEMS='" ~ declared ~ "' leaves out billing, which every mart needs "
            ~ "(billing alone is the smallest useful set).") }}
    {%- endif -%}
    {{ return(systems) }}
{%- endmacro %}
