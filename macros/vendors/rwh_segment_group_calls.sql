{#- Segment's group calls, typed (a select to put in a CTE): group_call_id, user_id, group_id, account_id (the trait
    column var segment_account_trait), called_at, synced_at. Read by the event CTEs (rwh_segment_event_ctes), the
    changed-day check (rwh_segment_changed_days) and the row ledger, so the three type the calls alike. -#}
{% macro rwh_segment_group_calls() -%}
    {%- set str = dbt.type_string() -%}
    {%- set ts = dbt.type_timestamp() -%}
    select
        cast(id as {{ str }}) as group_call_id,
        cast(user_id as {{ str }}) as user_id,
        cast(group_id as {{ str }}) as group_id,
        cast({{ adapter.quote(var('segment_account_trait')) }} as {{ str }}) as account_id,
        cast({{ adapter.quote('timestamp') }} as {{ ts }}) as called_at,
        cast(_fivetran_synced as {{ ts }}) as synced_at
    from {{ source('segment', 'groups') }}
{%- endmacro %}
