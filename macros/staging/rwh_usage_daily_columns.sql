{#- The typed columns of the raw product.usage_daily row; they must agree with rwh_usage_daily_key_hash. -#}
{% macro rwh_usage_daily_columns(alias) -%}
    cast({{ alias }}.account_id as {{ dbt.type_string() }}) as account_id,
    cast({{ alias }}.user_id as {{ dbt.type_string() }}) as user_id,
    cast({{ alias }}.usage_date as date) as usage_date,
    cast({{ alias }}.sessions as {{ dbt.type_int() }}) as sessions,
    cast({{ alias }}.active_minutes as {{ dbt.type_int() }}) as active_minutes,
    cast({{ alias }}.core_feature_events as {{ dbt.type_int() }}) as core_feature_events,
    cast({{ alias }}.other_feature_events as {{ dbt.type_int() }}) as other_feature_events,
    cast({{ alias }}._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at
{%- endmacro %}
