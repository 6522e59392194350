{#-
    One row per renewal event: a main contract with a committed term (not a trial, not an amendment, not a
    month-to-month contract, whose end is a cancellation) that reaches its end date (docs/metrics.md section 2),
    matched to its successor. The successor comes from the predecessor link; where
    the link is missing, the account's next unlinked contract starting within the grace window around the
    end date is taken and the match is marked inferred.
-#}
with contracts as (

    select * from {{ ref('stg_billing__contracts') }}

),

events as (

    select *
    from contracts
    where
        end_date is not null
        and term_months is not null
        and contract_type not in ('trial', 'amendment')

),

linked as (

    select
        events.contract_id,
        successors.contract_id as successor_contract_id,
        row_number() over (
            partition by events.contract_id
            order by successors.start_date, successors.contract_id
        ) as successor_rank
    from events
    inner join contracts as successors
        on
            events.contract_id = successors.predecessor_contract_id
            and successors.contract_type != 'amendment'

),

inferred as (

    select
        events.contract_id,
        candidates.contract_id as successor_contract_id,
        row_number() over (
            partition by events.contract_id
            order by candidates.start_date, candidates.contract_id
        ) as successor_rank
    from events
    inner join contracts as candidates
        on
            events.account_id = candidates.account_id
            and events.contract_id != candidates.contract_id
            and candidates.predecessor_contract_id is null
            and candidates.contract_type not in ('trial', 'amendment')
            and events.start_date < candidates.start_date
            and candidates.start_date >= {{ dbt.dateadd('day', -1 * var('renewal_grace_days'), 'events.end_date') }}
            and candidates.start_date <= {{ dbt.dateadd('day', var('renewal_grace_days'), 'events.end_date') }}

),

matched as (

    select
        events.contract_id,
        events.account_id,
        events.contract_type,
        events.start_date,
        events.end_date,
        events.signed_date,
        events.term_months,
        coalesce(linked.successor_contract_id, inferred.successor_contract_id) as successor_contract_id,
        linked.successor_contract_id is null and inferred.successor_contract_id is not null as is_successor_inferred
    from events
    left join linked
        on
            events.contract_id = linked.contract_id
            and linked.successor_rank = 1
    left join inferred
        on
            events.contract_id = inferred.contract_id
            and inferred.successor_rank = 1

)

select
    matched.contract_id as renewal_event_id,
    matched.contract_id as expiring_contract_id,
    matched.account_id,
    matched.contract_type as expiring_contract_type,
    matched.start_date as expiring_start_date,
    matched.end_date,
    matched.term_months as expiring_term_months,
    matched.successor_contract_id,
    coalesce(matched.is_successor_inferred, false) as is_successor_inferred,
    successors.signed_date as successor_signed_date,
    successors.start_date as successor_start_date,
    successors.end_date as successor_end_date,
    successors.term_months as successor_term_months
from matched
left join contracts as successors
    on matched.successor_contract_id = successors.contract_id
