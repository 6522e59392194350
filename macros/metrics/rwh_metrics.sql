{#-
    numerator / denominator as DuckDB computes it. DuckDB divides decimals in double precision and PostgreSQL
    exactly; Spark's decimal division keeps only 6 decimals once the operands are wide (decimal(38, 6) /
    decimal(38, 6) is decimal(38, 6)), which moved an FX ratio times a large amount by up to $0.13. On Spark
    both operands become doubles, so the quotient is DuckDB's to the last bit.
-#}
{% macro rwh_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('rwh_divide', 'renewal_warehouse')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__rwh_divide(numerator, denominator) -%}
    ({{ numerator }}) / ({{ denominator }})
{%- endmacro %}

{% macro spark__rwh_divide(numerator, denominator) -%}
    cast({{ numerator }} as double) / cast({{ denominator }} as double)
{%- endmacro %}


{#- A rate as an exact-enough fraction; null when the denominator is zero or null (never a division error). -#}
{% macro rwh_ratio(numerator, denominator) -%}
    cast(
        case
            when ({{ denominator }}) = 0 then null
            else {{ rwh_round(rwh_divide(
                'cast(' ~ numerator ~ ' as ' ~ dbt.type_numeric() ~ ')',
                'cast(' ~ denominator ~ ' as ' ~ dbt.type_numeric() ~ ')'
            ), 6) }}
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
            else power(cast({{ rate }} as {{ rwh_double_type() }}), 12.0 / ({{ months }}))
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
    The segment breakdowns the marts compute, as (segment_type, column) pairs: those named in `wanted`, or by
    default those of var retention_segment_types (all seven; unit tests keep only 'all'). segment_type 'all'
    is the roll-up: one segment_value, 'all', over every row.
-#}
{% macro rwh_segment_columns(wanted=none) -%}
    {%- set available = [
        ('all', "'all'"),
        ('size', 'size_segment'),
        ('industry', 'industry'),
        ('region', 'region'),
        ('plan_tier', 'plan_tier'),
        ('acv_band', 'acv_band'),
        ('acquisition_source', 'acquisition_source'),
    ] -%}
    {%- set wanted = var('retention_segment_types') if wanted is none else wanted -%}
    {%- set unknown = wanted | reject('in', available | map(attribute=0) | list) | list -%}
    {%- if unknown -%}
        {{ exceptions.raise_compiler_error("Unknown segment types " ~ unknown ~ "; known: " ~ (available | map(attribute=0) | list)) }}
    {%- endif -%}
    {{ return(available | selectattr(0, 'in', wanted) | list) }}
{%- endmacro %}


{#-
    Join condition finding the ref_acv_bands band of a customer's ARR amount (min inclusive, max exclusive,
    null = open): a customer at $0 (fully discounted) falls in the lowest band, which starts at 0. An
    account that is not a customer at that moment has no band: leave it out of the join.
-#}
{% macro rwh_acv_band_join(bands_alias, arr) -%}
    {{ arr }} >= {{ bands_alias }}.min_acv
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


{#-
    A signal scored 0-100: 0 at zero_value, 100 at full_value, linear between, clamped outside (full below
    zero scores a lower-is-better signal); null when the value is null.
-#}
{% macro rwh_signal_score(value, zero_value, full_value) -%}
    {%- set numeric = dbt.type_numeric() -%}
    case
        when {{ value }} is null then null
        else greatest(0, least(100, {{ rwh_divide(
            '100.0 * (cast(' ~ value ~ ' as ' ~ numeric ~ ') - cast(' ~ zero_value ~ ' as ' ~ numeric ~ '))',
            'cast(' ~ full_value ~ ' as ' ~ numeric ~ ') - cast(' ~ zero_value ~ ' as ' ~ numeric ~ ')'
        ) }}))
    end
{%- endmacro %}


{#-
    The weighted mean of the values that are not null: names fill the `{}` of both templates, e.g.
    rwh_weighted_mean(['usage', 'support'], 'scores.{}_score', 'weights.{}_weight'). Null when every value is.
-#}
{% macro rwh_weighted_mean(names, value_template, weight_template) -%}
    {%- set numeric = dbt.type_numeric() -%}
    {#-
        Weights as decimal(9, 6): a decimal(28, 6) value times a decimal(9, 6) weight is exact on every
        engine, where Spark rounds the product of two decimal(28, 6) to 6 decimals (and a composite health
        score on a tie moved by 0.01).
    -#}
    {%- set weight_type = 'decimal(9, 6)' -%}
    {%- set weighted_sum -%}
        {% for name in names -%}
            {{ "+ " if not loop.first }}coalesce(cast({{ value_template.replace('{}', name) }} as {{ numeric }}) * cast({{ weight_template.replace('{}', name) }} as {{ weight_type }}), 0)
        {% endfor -%}
    {%- endset -%}
    {%- set weight_sum -%}
        nullif(
        {% for name in names -%}
            {{ "+ " if not loop.first }}case when {{ value_template.replace('{}', name) }} is not null then cast({{ weight_template.replace('{}', name) }} as {{ weight_type }}) else 0 end
        {% endfor -%}
        , 0)
    {%- endset %}
    cast({{ rwh_divide(weighted_sum, weight_sum) }} as {{ numeric }})
{%- endmacro %}


{#- Join condition finding the ref_health_bands band of a 0-100 score (min inclusive, max exclusive, 100 inclusive). -#}
{% macro rwh_health_band_join(bands_alias, score) -%}
    {{ score }} >= {{ bands_alias }}.min_score
    and ({{ score }} < {{ bands_alias }}.max_score or ({{ bands_alias }}.max_score >= 100 and {{ score }} <= 100))
{%- endmacro %}


{#-
    The reporting grammar (docs/reporting-grammar.md): the rows of a fact CTE fanned out to the segments a
    mart reports on, and optionally to its period and to all periods together. Every output row is a fact row
    with, in front of its own columns:
    - period_type, period_start_date, period_label, when `period` = (period_type, start column, label column)
      is given: the fact's own period; with `with_all_time`, once more as period_type 'all_time' (start null,
      label 'all');
    - segment_type, segment_value: once per segment type of `segment_types` (rwh_segment_columns), the
      fact's value of that segment ('all' for segment_type 'all').
    Rows of one period_type and one segment_type partition the facts; the others are roll-ups (is_rollup).
-#}
{% macro rwh_fan_out(relation, segment_types=none, period=none, with_all_time=false) -%}
    {%- set periods = [] -%}
    {%- if period is not none -%}
        {%- do periods.append(("'" ~ period[0] ~ "'", relation ~ '.' ~ period[1], relation ~ '.' ~ period[2])) -%}
    {%- endif -%}
    {%- if with_all_time -%}
        {%- if period is none -%}
            {{ exceptions.raise_compiler_error("rwh_fan_out: with_all_time needs the fact's own period") }}
        {%- endif -%}
        {%- do periods.append(("'all_time'", 'cast(null as date)', "'all'")) -%}
    {%- endif -%}
    {%- set segments = rwh_segment_columns(segment_types) -%}
    {%- for period_columns in (periods or [none]) -%}
        {%- set outer_loop = loop -%}
        {%- for segment_type, column in segments %}
    select
        {% if period_columns is not none -%}
        {{ period_columns[0] }} as period_type,
        {{ period_columns[1] }} as period_start_date,
        {{ period_columns[2] }} as period_label,
        {% endif -%}
        '{{ segment_type }}' as segment_type,
        {{ column if segment_type == 'all' else relation ~ '.' ~ column }} as segment_value,
        {{ relation }}.*
    from {{ relation }}
            {%- if not (loop.last and outer_loop.last) %}
    union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}


{#-
    True on the roll-up rows of a mart in the reporting grammar: the rows that total other rows of the same
    mart. Name the dimensions the mart rolls up: `all_time` (period_type 'all_time'), `segments` (segment_type
    'all', when the mart has other segment types) and `breakdown` (breakdown_value 'all'). A sum over the rows
    where this is false, within one period_type, one segment_type and one breakdown, counts every fact once.
-#}
{% macro rwh_is_rollup(all_time=false, segments=false, breakdown=false) -%}
    {%- set conditions = [] -%}
    {%- if all_time %}{% do conditions.append("period_type = 'all_time'") %}{% endif -%}
    {%- if segments %}{% do conditions.append("segment_type = 'all'") %}{% endif -%}
    {%- if breakdown %}{% do conditions.append("breakdown_value = 'all'") %}{% endif -%}
    {{ '(' ~ conditions | join(' or ') ~ ')' if conditions else 'false' }}
{%- endmacro %}


{#-
    A 64-bit float on every engine. dbt.type_float() is "float", which DuckDB reads as a 32-bit REAL: the
    same LTV then differed by up to $0.17 between DuckDB and PostgreSQL.
-#}
{% macro rwh_double_type() -%}
    {{ return(adapter.dispatch('rwh_double_type', 'renewal_warehouse')()) }}
{%- endmacro %}

{% macro default__rwh_double_type() -%}
    double precision
{%- endmacro %}

{% macro spark__rwh_double_type() -%}
    double
{%- endmacro %}


{#-
    Round half away from zero, the same on every engine. DuckDB divides decimals in double precision, so an
    exact tie such as 100 x 0.1829 / 0.4 = 45.725 arrives as 45.72499999... and rounded to 45.72 where
    PostgreSQL's exact numeric gives 45.73. A relative nudge of 1e-12 settles true ties upward (away from
    zero) and moves no value that is not within 1e-12 of a tie.
-#}
{% macro rwh_round(expression, digits) -%}
    {{ return(adapter.dispatch('rwh_round', 'renewal_warehouse')(expression, digits)) }}
{%- endmacro %}

{#- PostgreSQL: exact numeric (round() takes no precision for double precision). -#}
{% macro default__rwh_round(expression, digits) -%}
    round(cast({{ expression }} as numeric) * 1.000000000001, {{ digits }})
{%- endmacro %}

{#- DuckDB: its numeric is a bounded decimal; round the double with the nudge. -#}
{% macro duckdb__rwh_round(expression, digits) -%}
    round(({{ expression }}) * 1.000000000001, {{ digits }})
{%- endmacro %}

{#-
    Spark: `numeric` is decimal(10, 0) there (a cast to it drops every decimal), and decimal products lose
    scale past 38 digits; round the double with the nudge, as DuckDB does.
-#}
{% macro spark__rwh_round(expression, digits) -%}
    round(cast({{ expression }} as double) * 1.000000000001, {{ digits }})
{%- endmacro %}


{#-
    Join condition: the owner spell (int_account_owner_spells) of an account on a date. The spells never
    overlap, so an account and date match one spell at most: no ranking at the join.
-#}
{% macro rwh_owner_on_date(spells_alias, account_expression, date_expression) -%}
    {{ spells_alias }}.account_id = {{ account_expression }}
    and {{ spells_alias }}.valid_from_date <= {{ date_expression }}
    and ({{ spells_alias }}.valid_to_date is null or {{ spells_alias }}.valid_to_date >= {{ date_expression }})
{%- endmacro %}
