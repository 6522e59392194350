{#-
    The integrity step of staging (models/staging/_integrity/): the rules that need another table. A base
    model judges its raw rows on their own (types, keys, accepted values, dates, versions: rwh_flag_rows); the
    integrity model of a table then checks the current version of each key (its latest load, not a null key)
    against the staged rows of the tables it refers to (known_accounts, known_users, known_contracts,
    known_products, known_opportunities, the FX rates), and lists the base rows whose fate that changes, with
    the reason they are quarantined for.

    Which reason wins, as it did when the rules sat in one CASE of the base model:
    - a broken rule of `before_row_rules` (an unknown reference) wins over every rule of the row itself, and
      over conflicting_versions (two contents of one key in one load);
    - a broken rule of `after_row_rules` (a missing FX rate) counts only for a row that breaks no rule of its
      own (a staged row, a duplicate copy, or one content of a conflicting load).
    Every copy of the current version is checked: a duplicate of a row with an unknown account is quarantined
    with it, not deduplicated. Older versions (superseded) are never checked, as before.

    Each check: {'reason': ..., 'relation': model name (or none), 'alias': ..., 'on': join condition,
    'broken': SQL that is true when the rule is broken}; rwh_known() builds the common one.
-#}
{% macro rwh_integrity_check(source_name, table_name, before_row_rules=[], after_row_rules=[]) -%}
    {%- set base = ref('base_' ~ source_name ~ '__' ~ table_name) -%}
with current_rows as (

    select *
    from {{ base }}
    where is_latest_load and coalesce(row_quarantine_reason, '') != 'null_key'

),

checked as (

    select
        current_rows.base_row_id,
        current_rows.quarantine_reason as row_quarantine_reason,
        {{ rwh_integrity_case(before_row_rules) }} as reference_reason,
        {{ rwh_integrity_case(after_row_rules) }} as late_reason
    from current_rows
    {%- for check in before_row_rules + after_row_rules if check.relation %}
    left join {{ ref(check.relation) }} as {{ check.alias }}
        on {{ check.on }}
    {%- endfor %}

),

decided as (

    select
        base_row_id,
        row_quarantine_reason,
        coalesce(
            reference_reason,
            case
                when row_quarantine_reason is null or row_quarantine_reason = 'conflicting_versions'
                    then late_reason
            end
        ) as quarantine_reason
    from checked

)

select
    '{{ source_name }}' as source_system,
    '{{ table_name }}' as source_table,
    base_row_id,
    row_quarantine_reason,
    quarantine_reason
from decided
where quarantine_reason is not null
{%- endmacro %}


{#- The first broken check's reason, or null. -#}
{% macro rwh_integrity_case(checks) -%}
    {%- if checks -%}
        case
            {%- for check in checks if check.broken %}
            when {{ check.broken }} then '{{ check.reason }}'
            {%- endfor %}
        end
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}


{#- A reference check: the row's `column` must be a key of the integrity model `known` (its column `key`). -#}
{% macro rwh_known(column, known, reason, key=none) -%}
    {%- set key = key or column -%}
    {{ return({
        'reason': reason,
        'relation': known,
        'alias': known,
        'on': 'current_rows.' ~ column ~ ' = ' ~ known ~ '.' ~ key,
        'broken': known ~ '.' ~ key ~ ' is null',
    }) }}
{%- endmacro %}


{#-
    The raw tables that have an integrity model (integrity_<system>__<table>) with the source systems it
    needs: the quarantine, the staged views and the conservation test read it for them. A pytest test keeps
    this list equal to the models in models/staging/_integrity/.
-#}
{% macro rwh_integrity_tables() -%}
    {%- set tables = {
        'billing.contracts': ['billing'],
        'billing.contract_lines': ['billing'],
        'crm.account_ownership': ['crm'],
        'crm.activities': ['crm'],
        'crm.forecast_submissions': ['crm'],
        'crm.opportunity_stage_history': ['crm'],
        'crm.renewal_opportunities': ['crm'],
        'crm.sponsor_changes': ['crm'],
        'crm.value_reviews': ['crm'],
        'cs_platform.churn_reasons': ['cs_platform'],
        'cs_platform.onboarding_milestones': ['cs_platform'],
        'cs_platform.risk_flags': ['cs_platform'],
        'cs_platform.survey_responses': ['cs_platform'],
        'product.licensed_seats': ['product'],
        'support.tickets': ['support'],
    } -%}
    {%- set present = [] -%}
    {%- for name, systems in tables.items() if rwh_has_systems(systems) -%}
        {%- do present.append(name) -%}
    {%- endfor -%}
    {{ return(present) }}
{%- endmacro %}


{#- True when the raw table has an integrity model in this deployment. -#}
{% macro rwh_has_integrity(source_name, table_name) -%}
    {{ return((source_name ~ '.' ~ table_name) in rwh_integrity_tables()) }}
{%- endmacro %}


{#-
    The base rows of a raw table that its integrity model quarantines, as an anti-join condition:
    `left join` it on base_row_id and keep the rows where it is null (rwh_integrity_join + rwh_integrity_kept).
-#}
{% macro rwh_integrity_join(source_name, table_name, base_alias) -%}
    {%- if rwh_has_integrity(source_name, table_name) -%}
    left join {{ ref('integrity_' ~ source_name ~ '__' ~ table_name) }} as integrity
        on {{ base_alias }}.base_row_id = integrity.base_row_id
    {%- endif -%}
{%- endmacro %}

{#- True for a base row the integrity step leaves as the base model decided it. -#}
{% macro rwh_integrity_kept(source_name, table_name) -%}
    {%- if rwh_has_integrity(source_name, table_name) -%}
        integrity.base_row_id is null
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The reason a base row is quarantined for, after the integrity step (null when it is not). -#}
{% macro rwh_decided_quarantine_reason(source_name, table_name, base_alias) -%}
    {%- if rwh_has_integrity(source_name, table_name) -%}
        coalesce(integrity.quarantine_reason, {{ base_alias }}.quarantine_reason)
    {%- else -%}
        {{ base_alias }}.quarantine_reason
    {%- endif -%}
{%- endmacro %}
