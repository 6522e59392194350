{#-
    Fivetran's history mode lands a row per version of a record: the version that counts is the active one
    (_fivetran_active), else the latest by _fivetran_start, then by _fivetran_synced. rwh_version_rank is its rank
    within the record (1 counts; the others are superseded), rwh_active_versions 1 when the record has an active
    version and 0 when none is left (deleted at the source). Both read the typed columns is_active_version,
    version_started_at and synced_at every vendor base model names so.
-#}
{% macro rwh_version_rank(key) -%}
    row_number() over (
        partition by {{ key }}
        order by
            case when is_active_version then 0 else 1 end,
            version_started_at desc nulls last,
            synced_at desc
    )
{%- endmacro %}


{% macro rwh_active_versions(key) -%}
    max(case when is_active_version then 1 else 0 end) over (partition by {{ key }})
{%- endmacro %}
