{#-
    The roll-up rows of a mart hold the sums of the rows they roll up (docs/reporting-grammar.md), so a
    reader who keeps only the roll-up, or only its parts, gets the same totals. `dimension` is what is rolled
    up: 'segment' (segment_type all against each other segment type's rows), 'breakdown' (breakdown_value
    all against the other values of the breakdown) or 'period' (period_type all_time against the other
    periods). `keys` are the other columns of the grain; `columns` the additive ones compared, equal within
    `tolerance` (an amount each row rounds to 1e-6 may differ from its roll-up by the parts' rounding). Returns
    each part whose sums differ from its roll-up row, or that has no roll-up row.
-#}
{% test rwh_rollup_adds_up(model, columns, keys, dimension='segment', tolerance=0) %}

{%- set part_type, total_condition = {
    'segment': ('segment_type', "segment_type = 'all'"),
    'breakdown': ('breakdown', "breakdown_value = 'all'"),
    'period': ('period_type', "period_type = 'all_time'"),
}[dimension] %}

with parts as (

    select
        {% for key in keys -%}
            {{ key }},
        {% endfor -%}
        {{ part_type }} as part_type,
        {% for column in columns -%}
            sum({{ column }}) as {{ column }}{{ "," if not loop.last }}
        {% endfor %}
    from {{ model }}
    where not ({{ total_condition }})
    group by {% for key in keys %}{{ key }}, {% endfor %}{{ part_type }}

),

totals as (

    select
        {% for key in keys -%}
            {{ key }},
        {% endfor -%}
        {% for column in columns -%}
            {{ column }}{{ "," if not loop.last }}
        {% endfor %}
    from {{ model }}
    where {{ total_condition }}

)

select
    parts.*,
    totals.{{ columns[0] }} as rollup_{{ columns[0] }}
from parts
left join totals
    on
        {% for key in keys -%}
            {{ "and " if not loop.first }}parts.{{ key }} = totals.{{ key }}
        {% endfor %}
where
    totals.{{ keys[0] }} is null
    {% for column in columns -%}
        or abs(coalesce(parts.{{ column }}, 0) - coalesce(totals.{{ column }}, 0)) > {{ tolerance }}
    {% endfor %}

{% endtest %}
