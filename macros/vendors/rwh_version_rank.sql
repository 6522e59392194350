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


{#-
    A vendor table that history mode may have versioned (Salesforce's user, user_role, record_type: history mode is
    turned on table by table), as a subquery with every column and two more: version_rank (1: the version that
    counts, as rwh_version_rank ranks them; a table without history mode has one version per key, ranked 1) and
    version_key (the key '@' the version's start, else its sync time: how the ledger names a superseded version).
    _fivetran_active and _fivetran_start are read when the table has them (rwh_optional_column).
-#}
{% macro rwh_history_versions(relation, key='id') -%}
    {%- set str = dbt.type_string() -%}
    {%- set ts = dbt.type_timestamp() -%}
    {%- set started = 'cast(' ~ rwh_optional_column(relation, '_fivetran_start', ts) ~ ' as ' ~ ts ~ ')' -%}
    (
        select
            history_rows.*,
            row_number() over (
                partition by cast(history_rows.{{ key }} as {{ str }})
                order by
                    case
                        when coalesce(cast({{ rwh_optional_column(relation, '_fivetran_active', 'boolean') }}
                            as boolean), true) then 0
                        else 1
                    end,
                    {{ started }} desc nulls last,
                    cast(history_rows._fivetran_synced as {{ ts }}) desc
            ) as version_rank,
            {{ dbt.concat(["cast(history_rows." ~ key ~ " as " ~ str ~ ")", "'@'",
                "coalesce(cast(" ~ started ~ " as " ~ str ~ "), cast(cast(history_rows._fivetran_synced as "
                ~ ts ~ ") as " ~ str ~ "))"]) }} as version_key
        from {{ relation }} as history_rows
    )
{%- endmacro %}
