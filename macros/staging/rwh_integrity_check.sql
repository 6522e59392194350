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
