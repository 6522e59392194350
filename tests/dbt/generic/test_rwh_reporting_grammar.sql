{#-
    The reporting grammar of an aggregated mart (docs/reporting-grammar.md): every row names its period
    (period_type among `period_types`, period_label always, period_start_date except for all_time, whose
    label is 'all'), its segment (segment_type among `segment_types`, segment_value always, 'all' for
    segment_type all), its breakdown when the mart has one (breakdown among `breakdowns`, breakdown_value
    always) and whether it is a roll-up. Returns the rows that break it.
-#}
{% test rwh_reporting_grammar(model, period_types, segment_types=['all'], breakdowns=none) %}

select *
from {{ model }}
where
    period_type is null
    or period_type not in ('{{ period_types | join("', '") }}')
    or period_label is null
    or (period_type = 'all_time' and (period_start_date is not null or period_label != 'all'))
    or (period_type != 'all_time' and period_start_date is null)
    or segment_type is null
    or segment_type not in ('{{ segment_types | join("', '") }}')
    or segment_value is null
    or (segment_type = 'all' and segment_value != 'all')
    or is_rollup is null
    {%- if breakdowns %}
    or breakdown is null
    or breakdown not in ('{{ breakdowns | join("', '") }}')
    or breakdown_value is null
    {%- endif %}

{% endtest %}
