{#- A rate as an exact-enough fraction; null when the denominator is zero or null (never a division error). -#}
{% macro rwh_ratio(numerator, denominator) -%}
    cast(
        case
            when ({{ denominator }}) = 0 then null
            else cast({{ numerator }} as {{ dbt.type_numeric() }}) / cast({{ denominator }} as {{ dbt.type_numeric() }})
        end
        as decimal(18, 6)
    )
{%- endmacro %}


{#- A rate over `months` months expressed per year: rate ^ (12 / months); null for a null or negative rate. -#}
{% macro rwh_annualise(rate, months) -%}
    cast(
        case
            when ({{ rate }}) is null or ({{ rate }}) < 0 or ({{ months }}) = 0 then null
            when ({{ months }}) = 12 then ({{ rate }})
            else power(cast({{ rate }} as {{ dbt.type_float() }}), 12.0 / ({{ months }}))
        end
        as decimal(18, 6)
    )
{%- endmacro %}


{#- Join condition finding the benchmark band a value falls in (lower bound inclusive, upper exclusive, null = open). -#}
{% macro rwh_band_join(bands_alias, metric, value) -%}
    {{ bands_alias }}.metric = '{{ metric }}'
    and ({{ bands_alias }}.lower_bound is null or {{ value }} >= {{ bands_alias }}.lower_bound)
    and ({{ bands_alias }}.upper_bound is null or {{ value }} < {{ bands_alias }}.upper_bound)
{%- endmacro %}


{#-
    The segment breakdowns the marts compute, as (segment_type, column) pairs, filtered by var
    retention_segment_types (all seven by default; unit tests keep only 'all').
-#}
{% macro rwh_segment_columns() -%}
    {%- set available = [
        ('all', "'all'"),
        ('size', 'size_segment'),
        ('industry', 'industry'),
        ('region', 'region'),
        ('plan_tier', 'plan_tier'),
        ('acv_band', 'acv_band'),
        ('acquisition_source', 'acquisition_source'),
    ] -%}
    {%- set wanted = var('retention_segment_types') -%}
    {{ return(available | selectattr(0, 'in', wanted) | list) }}
{%- endmacro %}


{#- Join condition finding the ref_acv_bands band of an ARR amount (min inclusive, max exclusive, null = open). -#}
{% macro rwh_acv_band_join(bands_alias, arr) -%}
    {{ arr }} > 0
    and {{ arr }} >= {{ bands_alias }}.min_acv
    and ({{ bands_alias }}.max_acv is null or {{ arr }} < {{ bands_alias }}.max_acv)
{%- endmacro %}


{#- First day of the fiscal quarter of a date (var fiscal_year_start_month), for any date, past or future. -#}
{% macro rwh_fiscal_quarter_start(date_expression) -%}
    cast({{ dbt.dateadd(
        'month',
        '-1 * ((cast(extract(month from ' ~ date_expression ~ ') as ' ~ dbt.type_int() ~ ') - '
            ~ var('fiscal_year_start_month') ~ ' + 12) % 3)',
        dbt.date_trunc('month', date_expression)
    ) }} as date)
{%- endmacro %}


{#- Fiscal year of a date, named by the calendar year it ends in. -#}
{% macro rwh_fiscal_year(date_expression) -%}
    (cast(extract(year from {{ date_expression }}) as {{ dbt.type_int() }})
    + case
        when {{ var('fiscal_year_start_month') }} != 1
            and cast(extract(month from {{ date_expression }}) as {{ dbt.type_int() }}) >= {{ var('fiscal_year_start_month') }}
            then 1
        else 0
    end)
{%- endmacro %}


{#- Fiscal quarter label of a date, e.g. FY2026-Q3. -#}
{% macro rwh_fiscal_quarter_label(date_expression) -%}
    {{ dbt.concat([
        "'FY'", 'cast(' ~ rwh_fiscal_year(date_expression) ~ ' as ' ~ dbt.type_string() ~ ')', "'-Q'",
        'cast(cast(floor(((cast(extract(month from ' ~ date_expression ~ ') as ' ~ dbt.type_int() ~ ') - '
            ~ var('fiscal_year_start_month') ~ ' + 12) % 12) / 3.0) as ' ~ dbt.type_int() ~ ') + 1 as '
            ~ dbt.type_string() ~ ')'
    ]) }}
{%- endmacro %}


{#- A percentile (0-1) of an expression within a group, dispatched per adapter. -#}
{% macro rwh_percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('rwh_percentile', 'renewal_warehouse')(expression, fraction)) }}
{%- endmacro %}

{% macro default__rwh_percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__rwh_percentile(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}


{#- A query of the integers 0 .. 10^digit_count - 1 in column `column_name` (for date spines). -#}
{% macro rwh_integers(digit_count, column_name) -%}
    {%- set digits = "(values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))" -%}
    select
        {% for i in range(digit_count) -%}
            {{ "+ " if not loop.first }}{{ 10 ** i }} * digits_{{ i }}.digit
        {% endfor -%}
        as {{ column_name }}
    from {{ digits }} as digits_0 (digit)
    {% for i in range(1, digit_count) -%}
        cross join {{ digits }} as digits_{{ i }} (digit)
    {% endfor %}
{%- endmacro %}
