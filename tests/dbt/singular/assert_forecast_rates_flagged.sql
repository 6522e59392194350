-- Forecast accuracy denominators are never zero: a zero forecast has no accuracy and is flagged, a zero
-- actual has no bias and is flagged. A submission made after its quarter ended is not a forecast: it has
-- neither rate, and no team row holds one.
{{ config(enabled=rwh_has_systems(['billing', 'crm'])) }}
select *
from {{ ref('forecast_accuracy') }}
where
    (is_forecast_zero and forecast_accuracy_rate is not null)
    or (not is_forecast_zero and not is_submitted_after_quarter_end and forecast_accuracy_rate is null)
    or (is_actual_zero and forecast_bias_rate is not null)
    or (not is_actual_zero and not is_submitted_after_quarter_end and forecast_bias_rate is null)
    or (is_submitted_after_quarter_end and (forecast_accuracy_rate is not null or forecast_bias_rate is not null))
    or (is_submitted_after_quarter_end and (is_team or horizon != 'after_quarter_end'))
