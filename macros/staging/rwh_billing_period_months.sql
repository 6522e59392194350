{#-
    The months a contract line's price covers (docs/metrics.md section 1: ARR = net price x quantity x 12 / these
    months): 1 for a monthly price, 12 for a yearly one, the line's whole term (start to end, inclusive) for a
    term price. One definition for the staged lines and the quarantined ones staging still prices.
-#}
{% macro rwh_billing_period_months(billing_period, start_date, end_date) -%}
    case {{ billing_period }}
        when 'month' then 1
        when 'year' then 12
        else {{ dbt.datediff(start_date, dbt.dateadd('day', 1, end_date), 'month') }}
    end
{%- endmacro %}
