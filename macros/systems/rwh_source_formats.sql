{#-
    The format each source system arrives in (docs/sources/README.md): RWH_SOURCE_FORMATS names a vendor per
    system as system=vendor pairs, comma-separated ("billing=stripe"); a system not named keeps the raw
    contract's format. The vendors and the contract tables their adapters make are generated from the Python
    specs (macros/generated/rwh_vendors.sql); a name that is not one of them raises a compilation error, as
    renewal_warehouse.pipeline.vendors.declared_formats refuses it before dbt starts.
-#}
{% macro rwh_source_formats() -%}
    {%- set declared = env_var('RWH_SOURCE_FORMATS', '') -%}
    {%- set vendors = {} -%}
    {%- for v in rwh_vendors() -%}{%- do vendors.update({v.vendor: v}) -%}{%- endfor -%}
    {%- set known_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
    {%- set formats = {} -%}
    {%- for part in declared.split(',') -%}
        {%- set pair = part | replace(' ', '') | lower -%}
        {%- set halves = pair.split('=') -%}
        {%- if pair and (halves | length != 2 or not halves[0] or not halves[1]) -%}
            {{ exceptions.raise_compiler_error("RWH_SOURCE_FORMATS='" ~ declared ~ "': '" ~ pair
                ~ "' is not system=vendor (for example billing=stripe)") }}
        {%- elif pair and halves[0] not in known_systems -%}
            {{ exceptions.raise_compiler_error("RWH_SOURCE_FORMATS names unknown source system '" ~ halves[0]
                ~ "'; the known ones are " ~ known_systems | join(', ')) }}
        {%- elif pair and halves[1] != 'contract' and halves[1] not in vendors -%}
            {{ exceptions.raise_compiler_error("RWH_SOURCE_FORMATS: no adapter for vendor '" ~ halves[1]
                ~ "'; the vendors are " ~ vendors.keys() | list | sort | join(', ') ~ " (or contract)") }}
        {%- elif pair and halves[1] != 'contract' and vendors[halves[1]].system != halves[0] -%}
            {{ exceptions.raise_compiler_error("RWH_SOURCE_FORMATS: " ~ halves[1] ~ " is a "
                ~ vendors[halves[1]].system ~ " source, not " ~ halves[0]) }}
        {%- elif pair and halves[1] != 'contract' -%}
            {%- do formats.update({halves[0]: halves[1]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(formats) }}
{%- endmacro %}


{#- The vendor a source system arrives from, or 'contract'. -#}
{% macro rwh_source_format(system) -%}
    {{ return(rwh_source_formats().get(system, 'contract')) }}
{%- endmacro %}


{#- The vendor whose adapter makes the contract table system.table, or none when it is read as a file/table. -#}
{% macro rwh_replacing_vendor(system, table) -%}
    {%- set vendor = rwh_source_format(system) -%}
    {%- for v in rwh_vendors() if v.vendor == vendor and table in v.replaces -%}
        {{ return(vendor) }}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}


{#-
    What a staging base model reads for the raw contract table system.table: the source (the extract's file or
    the loader's table), or, when the system's vendor adapter makes that table, the adapter's model
    adapt_<vendor>__<table> (models/staging/<system>/<vendor>/), which has the contract's columns.
-#}
{% macro rwh_raw(system, table) -%}
    {%- set vendor = rwh_replacing_vendor(system, table) -%}
    {%- if vendor is none -%}
        {{ return(source(system, table)) }}
    {%- else -%}
        {{ return(ref('adapt_' ~ vendor ~ '__' ~ table)) }}
    {%- endif -%}
{%- endmacro %}
