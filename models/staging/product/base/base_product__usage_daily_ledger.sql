{#-
    The ledger of raw product.usage_daily as this build read it: one row per usage day and load hour, with
    the rows loaded in that hour and a checksum of their measures (rwh_usage_ledger_columns). An incremental
    run compares the raw table with the ledger the last published build left (rwh_usage_unseen_days) to find
    the days that rows outside its look-back window changed: rows stamped with a load time older than the
    window, or deleted at the source (docs/incremental.md). It must therefore be built after the incremental
    usage models, which read the published one: the depends_on lines below order it, nothing more.
-#}
-- depends_on: {{ ref('base_product__usage_daily') }}
-- depends_on: {{ ref('int_usage_account_days') }}
-- depends_on: {{ ref('int_usage_user_blocks') }}
-- depends_on: {{ ref('int_usage_account_weeks') }}

select
    {{ rwh_usage_ledger_columns('raw_usage') | indent(4) }}
from {{ rwh_raw('product', 'usage_daily') }} as raw_usage
where raw_usage.usage_date is not null
group by 1, 2
