{#-
    Forecast accuracy, bias and evolution (METRICS.md section 5): the rows of int_forecast_accuracy, where
    the logic and its description live (csm_forecast_bias and the CSM models read it there), published under
    this mart's contract.
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with forecasts as (

    select * from {{ ref('int_forecast_accuracy') }}

)

{{ rwh_contract_select('forecasts') }}
