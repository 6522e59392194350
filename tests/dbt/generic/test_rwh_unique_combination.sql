{#- The combination of the given columns is unique (a dependency-free dbt_utils.unique_combination_of_columns). -#}
{% test rwh_unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
