-- The retention mart's MRR movements reconcile with int_mrr_movements: for every month and every segment
-- type, the month rows of the mart summed over the segment values carry exactly the movements of that
-- month, including months and segments with no customer at their opening (the first month of an extract,
-- a segment's first customer). Returns one row per month x segment type x movement that differs.
{%- set segment_types = rwh_segment_columns() | map(attribute=0) | list %}
{%- set movement_columns = [
    'new_mrr', 'expansion_mrr', 'reactivation_mrr', 'contraction_mrr', 'churn_mrr', 'fx_mrr', 'quarantined_mrr'
] %}

with movements as (

    select
        month_start_date,
        {% for column in movement_columns %}
            sum({{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref('int_mrr_movements') }}
    group by 1

),

segment_types as (

    {% for segment_type in segment_types %}
        select '{{ segment_type }}' as segment_type
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

expected as (

    select
        movements.*,
        segment_types.segment_type
    from movements
    cross join segment_types

),

mart as (

    select
        period_start_date as month_start_date,
        segment_type,
        {% for column in movement_columns %}
            sum({{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref('retention') }}
    where period_type = 'month'
    group by 1, 2

)

{% for column in movement_columns %}
    select
        '{{ column }}' as movement,
        coalesce(expected.month_start_date, mart.month_start_date) as month_start_date,
        coalesce(expected.segment_type, mart.segment_type) as segment_type,
        coalesce(expected.{{ column }}, 0) as movements_total,
        coalesce(mart.{{ column }}, 0) as mart_total
    from expected
    full outer join mart
        on
            expected.month_start_date = mart.month_start_date
            and expected.segment_type = mart.segment_type
    where coalesce(expected.{{ column }}, 0) != coalesce(mart.{{ column }}, 0)
    {% if not loop.last %}union all{% endif %}
{% endfor %}
