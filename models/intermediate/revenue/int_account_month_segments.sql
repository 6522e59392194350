{#-
    One row per account and month: the segments the account belongs to at that month's snapshot
    (docs/metrics.md section 1, rwh_account_segments): its time-independent segments (int_accounts_segmented),
    its plan tier (highest tier among its active lines) and its ACV band (its ARR against ref_acv_bands,
    lower bounds included: a customer at $0 is in the lowest band). In a month it is not a customer, its
    tier and band are 'none'.
-#}
with {{ rwh_account_segments_ctes() }}

account_months as (

    select * from {{ ref('int_account_months') }}

)

select
    account_months.account_month_id,
    account_months.account_id,
    account_months.month_start_date,
    {{ rwh_account_segments_columns() }}
from account_months
{{ rwh_account_segments_joins(
    'account_months.account_id', 'account_months.max_tier_rank', 'account_months.arr',
    customer='account_months.is_customer'
) }}
