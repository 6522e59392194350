{#-
    One row per account with the segments that do not change with time in the data (docs/metrics.md section 1):
    company size (employee count against ref_size_segments), industry, region and acquisition source.
    Plan tier and ACV band depend on the moment and are added where a snapshot is taken
    (rwh_account_segments: the tier of the lines, rwh_acv_band_join).
    Without the CRM, the accounts are the ones billing has contracts for, and the segments the CRM
    describes (size, industry, region, acquisition source) are 'unknown'.
-#}
with accounts as (

    {% if rwh_has_systems(['crm']) -%}
        select * from {{ ref('stg_crm__accounts') }}
    {%- else -%}
        select distinct
            account_id,
            cast(null as {{ dbt.type_int() }}) as employee_count,
            cast(null as {{ dbt.type_string() }}) as industry,
            cast(null as {{ dbt.type_string() }}) as region,
            cast(null as {{ dbt.type_string() }}) as acquisition_source
        from {{ ref('stg_billing__contracts') }}
    {%- endif %}

),

size_segments as (

    select * from {{ ref('ref_size_segments') }}

)

select
    accounts.account_id,
    coalesce(size_segments.segment, 'unknown') as size_segment,
    coalesce(accounts.industry, 'unknown') as industry,
    coalesce(accounts.region, 'unknown') as region,
    coalesce(accounts.acquisition_source, 'unknown') as acquisition_source
from accounts
left join size_segments
    on
        accounts.employee_count >= size_segments.min_employees
        and (size_segments.max_employees is null or accounts.employee_count <= size_segments.max_employees)
