{#-
    The raw product.usage_daily row as the base model and the staged view both read it: its key hash and
    its typed columns (the two must agree; rwh_usage_daily_columns, beside this file, holds the columns).
-#}
{% macro rwh_usage_daily_key_hash(alias) -%}
    {{ rwh_key_hash([
        'cast(' ~ alias ~ '.account_id as ' ~ dbt.type_string() ~ ')',
        'cast(' ~ alias ~ '.user_id as ' ~ dbt.type_string() ~ ')',
        'cast(' ~ alias ~ '.usage_date as date)']) }}
{%- endmacro %}
