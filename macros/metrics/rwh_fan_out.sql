{#-
    The reporting grammar (docs/reporting-grammar.md): the rows of a fact CTE fanned out to the segments a
    mart reports on, and optionally to its period and to all periods together. Every output row is a fact row
    with, in front of its own columns:
    - period_type, period_start_date, period_label, when `period` = (period_type, start column, label column)
      is given: the fact's own period; with `with_all_time`, once more as period_type 'all_time' (start null,
      label 'all');
    - segment_type, segment_value: once per segment type of `segment_types` (rwh_segment_columns), the
      fact's value of that segment ('all' for segment_type 'all').
    Rows of one period_type and one segment_type partition the facts; the others are roll-ups (is_rollup).
-#}
{% macro rwh_fan_out(relation, segment_types=none, period=none, with_all_time=false) -%}
    {%- set periods = [] -%}
    {%- if period is not none -%}
        {%- do periods.append(("'" ~ period[0] ~ "'", relation ~ '.' ~ period[1], relation ~ '.' ~ period[2])) -%}
    {%- endif -%}
    {%- if with_all_time -%}
        {%- if period is none -%}
            {{ exceptions.raise_compiler_error("rwh_fan_out: with_all_time needs the fact's own period") }}
        {%- endif -%}
        {%- do periods.append(("'all_time'", 'cast(null as date)', "'all'")) -%}
    {%- endif -%}
    {%- set segments = rwh_segment_columns(segment_types) -%}
    {%- for period_columns in (periods or [none]) -%}
        {%- set outer_loop = loop -%}
        {%- for segment_type, column in segments %}
    select
        {% if period_columns is not none -%}
        {{ period_columns[0] }} as period_type,
        {{ period_columns[1] }} as period_start_date,
        {{ period_columns[2] }} as period_label,
        {% endif -%}
        '{{ segment_type }}' as segment_type,
        {{ column if segment_type == 'all' else relation ~ '.' ~ column }} as segment_value,
        {{ relation }}.*
    from {{ relation }}
            {%- if not (loop.last and outer_loop.last) %}
    union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}
