{#- A predicate: `column` is one of the ISO `dates` (false for none). -#}
{% macro rwh_date_in(column, dates) -%}
    {%- if dates -%}
        {{ column }} in (
            {%- for date in dates -%}
                cast('{{ date[:10] }}' as date){{ ", " if not loop.last }}
            {%- endfor -%}
        )
    {%- else -%}
        1 = 0
    {%- endif -%}
{%- endmacro %}
