{#-
    Whether an expression is one of a var's list of values, as a boolean SQL expression: `expr in ('a', 'b')`
    with each value lower-cased and its quotes escaped, or `false` for an empty list (a list of no renewal types
    recognises no renewal; it must not match an empty string). The expression is compared as written: lower-case
    it first.
-#}
{% macro rwh_in_values(expression, values) -%}
    {%- set quoted = [] -%}
    {%- for v in values -%}
        {%- do quoted.append("'" ~ (v | string | lower | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {%- if quoted | length == 0 -%}
        false
    {%- else -%}
        coalesce({{ expression }} in ({{ quoted | join(', ') }}), false)
    {%- endif -%}
{%- endmacro %}
