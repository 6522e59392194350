{#-
    Pseudonymise personal data: md5 of the salted, trimmed, lower-cased value (null stays null). The same
    person hashes alike across tables, so joins keep working. The salt is var pii_salt (by default the
    environment variable RWH_PII_SALT): an empty salt makes the pseudonyms guessable from a list of emails,
    so it is refused unless var allow_empty_pii_salt is true (RWH_DEMO=true: the generated demo and the
    tests, whose people are synthetic).
-#}
{% macro rwh_pii_hash(expression) -%}
    {%- set salt = var('pii_salt') | string -%}
    {%- if execute and salt | trim == ''
        and (var('allow_empty_pii_salt') | string | lower) not in ['true', '1', 'yes'] -%}
        {{ exceptions.raise_compiler_error(
            "pii_salt is empty: personal data would be hashed without a salt. Set RWH_PII_SALT (or --vars "
            ~ "'{pii_salt: ...}') to a secret of this deployment; only the synthetic demo may run without one "
            ~ "(RWH_DEMO=true).") }}
    {%- endif -%}
    case
        when {{ expression }} is null then null
        else {{ dbt.hash("'" ~ salt | replace("'", "''") ~ "' || lower(trim(" ~ expression ~ "))") }}
    end
{%- endmacro %}
