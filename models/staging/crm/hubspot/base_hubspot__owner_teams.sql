{#-
    One row per HubSpot owner and team the owner is on, with the team's name, ranked within the owner (team_rank 1:
    the owner's team: its primary team, else the lowest team id as text).
-#}
{%- set str = dbt.type_string() -%}
with memberships as (

    select
        cast(owner_id as {{ str }}) as owner_id,
        cast(team_id as {{ str }}) as team_id,
        coalesce(cast(is_team_primary as boolean), false) as is_team_primary
    from {{ source('hubspot', 'owner_team') }}

),

teams as (

    select
        cast(id as {{ str }}) as team_id,
        max(cast(name as {{ str }})) as team_name
    from {{ source('hubspot', 'team') }}
    group by cast(id as {{ str }})

)

select
    memberships.owner_id,
    memberships.team_id,
    teams.team_name,
    {{ dbt.concat(["memberships.owner_id", "'~'", "memberships.team_id"]) }} as membership_key,
    row_number() over (
        partition by memberships.owner_id
        order by case when memberships.is_team_primary then 0 else 1 end, memberships.team_id
    ) as team_rank
from memberships
left join teams
    on memberships.team_id = teams.team_id
