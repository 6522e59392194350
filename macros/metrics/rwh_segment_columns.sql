{#-
    The segment breakdowns the marts compute, as (segment_type, column) pairs: those named in `wanted`, or by
    default those of var retention_segment_types (all seven; unit tests keep only 'all'). segment_type 'all'
    is the roll-up: one segment_value, 'all', over every row.
-#}
{% macro rwh_segment_columns(wanted=none) -%}
    {%- set available = [
        ('all', "'all'"),
        ('size', 'size_segment'),
        ('industry', 'industry'),
        ('region', 'region'),
        ('plan_tier', 'plan_tier'),
        ('acv_band', 'acv_band'),
        ('acquisition_source', 'acquisition_source'),
    ] -%}
    {%- set wanted = var('retention_segment_types') if wanted is none else wanted -%}
    {%- set unknown = wanted | reject('in', available | map(attribute=0) | list) | list -%}
    {%- if unknown -%}
        {{ exceptions.raise_compiler_error("Unknown segment types " ~ unknown ~ "; known: "
            ~ (available | map(attribute=0) | list)) }}
    {%- endif -%}
    {{ return(available | selectattr(0, 'in', wanted) | list) }}
{%- endmacro %}
