{#-
    Pseudonymise personal data: md5 of the salted, trimmed, lower-cased value (null stays null). The same
    person hashes alike across tables, so joins keep working; set var pii_salt per deployment.
-#}
{% macro rwh_pii_hash(expression) -%}
    case
        when {{ expression }} is null then null
        else {{ dbt.hash("'" ~ var('pii_salt') ~ "' || lower(trim(" ~ expression ~ "))") }}
    end
{%- endmacro %}
