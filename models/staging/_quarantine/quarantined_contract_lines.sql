{#-
    The revenue staging could not keep: one row per contract line that is quarantined, or whose contract is
    (a line of an unknown account's contract, of a contract in an unknown currency ...). It says whose
    revenue it was (the account its contract names), when (its dates, when they make a period) and, where
    the line can still be priced, its ARR in the reporting currency: net price x quantity x 12 / the months
    the price covers, at the FX rate of its start date, as staging would have priced it. A line in an
    unknown currency, without an FX rate, with a negative or missing price or a period that is not one
    has no ARR (is_priced false). Rows loaded after the extract (future_date) are not lost revenue: they are
    left out, as are keys staging keeps. Two contents of one key in one load (conflicting_versions) are
    one line, at the larger of their ARRs.

    What reads it: the revenue flags of the account-months and renewals it touches
    (int_account_months.has_quarantined_revenue ...), and the ARR tolerance of the quarantine.
-#}
{#- Every raw row of both tables, with what staging decided after its integrity step. #}
with lines as (

    select
        base.base_row_id,
        base.contract_line_id,
        base.contract_id,
        base.currency,
        base.billing_period,
        base.quantity,
        base.unit_net_price_minor,
        base.start_date,
        base.end_date,
        base.is_staged and integrity.base_row_id is null as is_staged,
        coalesce(integrity.quarantine_reason, base.quarantine_reason) as quarantine_reason
    from {{ ref('base_billing__contract_lines') }} as base
    left join {{ ref('integrity_billing__contract_lines') }} as integrity
        on base.base_row_id = integrity.base_row_id

),

contracts as (

    select
        base.contract_id,
        base.account_id,
        base._loaded_at,
        base.row_hash,
        base.is_staged and integrity.base_row_id is null as is_staged,
        coalesce(integrity.quarantine_reason, base.quarantine_reason) as quarantine_reason
    from {{ ref('base_billing__contracts') }} as base
    left join {{ ref('integrity_billing__contracts') }} as integrity
        on base.base_row_id = integrity.base_row_id

),

fx_rates as (

    select * from {{ ref('stg_billing__fx_rates') }}

),

currencies as (

    select * from {{ ref('ref_currencies') }}

),

staged_keys as (

    select distinct contract_line_id
    from lines
    where is_staged

),

-- One row per contract id: the staged one, else the latest quarantined content (its account, its reason).
contract_rows as (

    select
        contracts.contract_id,
        contracts.account_id,
        case when contracts.is_staged then null else contracts.quarantine_reason end as contract_quarantine_reason,
        row_number() over (
            partition by contracts.contract_id
            order by
                case when contracts.is_staged then 0 else 1 end asc,
                contracts._loaded_at desc,
                contracts.row_hash asc
        ) as contract_rank
    from contracts
    where
        contracts.contract_id is not null
        and (contracts.is_staged or contracts.quarantine_reason is not null)
        and coalesce(contracts.quarantine_reason, '') != 'future_date'

),

quarantined as (

    select
        lines.base_row_id,
        coalesce(lines.contract_line_id, lines.base_row_id) as line_key,
        lines.contract_line_id,
        lines.contract_id,
        contract_rows.account_id,
        lines.quarantine_reason,
        contract_rows.contract_quarantine_reason,
        lines.currency,
        lines.billing_period,
        lines.start_date,
        lines.end_date,
        case
            when
                lines.quantity >= 0
                and lines.unit_net_price_minor >= 0
                and (
                    lines.billing_period in ('month', 'year')
                    or (lines.billing_period = 'term' and lines.end_date >= lines.start_date)
                )
                then
                    {{ rwh_to_reporting(rwh_minor_to_major('lines.unit_net_price_minor',
                        'currencies.minor_units_per_major'),
                                        'line_fx', 'reporting_fx') }}
                    * lines.quantity * 12
                    / {{ rwh_billing_period_months('lines.billing_period', 'lines.start_date', 'lines.end_date') }}
        end as arr
    from lines
    left join contract_rows
        on lines.contract_id = contract_rows.contract_id and contract_rows.contract_rank = 1
    left join currencies
        on lines.currency = currencies.currency
    left join fx_rates as line_fx
        on {{ rwh_fx_rate_on('line_fx', 'lines.currency', 'lines.start_date') }}
    left join fx_rates as reporting_fx
        on {{ rwh_fx_rate_on('reporting_fx', "'" ~ var('reporting_currency') ~ "'", 'lines.start_date') }}
    left join staged_keys
        on lines.contract_line_id = staged_keys.contract_line_id
    where
        lines.quarantine_reason is not null
        and lines.quarantine_reason != 'future_date'
        and staged_keys.contract_line_id is null

),

one_per_line as (

    select
        quarantined.*,
        row_number() over (
            partition by quarantined.line_key
            order by
                case when quarantined.arr is null then 1 else 0 end asc,
                quarantined.arr desc,
                quarantined.base_row_id asc
        ) as content_rank
    from quarantined

)

select
    base_row_id,
    line_key,
    contract_line_id,
    contract_id,
    account_id,
    quarantine_reason,
    contract_quarantine_reason,
    currency,
    billing_period,
    start_date,
    end_date,
    start_date is not null and (end_date is null or end_date >= start_date) as has_period,
    cast(arr as {{ rwh_money_type() }}) as arr,
    arr is not null as is_priced
from one_per_line
where content_rank = 1
