{#-
    The as-of date of every mart (docs/metrics.md section 1): var as_of_date when set, else the latest event
    date in the billing and CRM data (contract signatures, activities, opportunity stage changes) and the
    support desk, of the systems present (RWH_SOURCE_SYSTEMS). Nothing after it is counted; months after it
    are not generated. Product usage is left out on purpose: it is the largest table by far, and the marts
    should not wait for it.
-#}
{%- set as_of = var('as_of_date', none) -%}

with

{% if as_of %}
as_of as (

    select cast('{{ as_of }}' as date) as as_of_date

)
{% else %}
    latest_event_dates as (

        select max(signed_date) as latest_date from {{ ref('stg_billing__contracts') }}
        {% if rwh_has_systems(['crm']) -%}
            union all
            select max(cast(occurred_at as date)) as latest_date from {{ ref('stg_crm__activities') }}
            union all
            select max(cast(entered_at as date)) as latest_date from {{ ref('stg_crm__opportunity_stage_history') }}
        {%- endif %}
        {% if rwh_has_systems(['support']) -%}
            union all
            select max(cast(created_at as date)) as latest_date from {{ ref('stg_support__tickets') }}
        {%- endif %}

    ),

    as_of as (

        select max(latest_date) as as_of_date
        from latest_event_dates

    )
{% endif %}

select as_of_date from as_of
