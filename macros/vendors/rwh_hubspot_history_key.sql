{#-
    The key of a row of HubSpot's company_property_history, which has no id: company '~' property '~' the time it
    was set, as text. One definition for the owner history (base_hubspot__owner_history) and the row ledger.
-#}
{% macro rwh_hubspot_history_key(alias) -%}
    {%- set str = dbt.type_string() -%}
    {{ dbt.concat([
        "cast(" ~ alias ~ ".company_id as " ~ str ~ ")", "'~'",
        "cast(" ~ alias ~ ".name as " ~ str ~ ")", "'~'",
        "cast(cast(" ~ alias ~ ".timestamp as " ~ dbt.type_timestamp() ~ ") as " ~ str ~ ")"
    ]) }}
{%- endmacro %}
