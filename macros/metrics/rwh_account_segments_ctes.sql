{#-
    The segments of an account at a moment (docs/metrics.md section 1): its time-independent segments
    (int_accounts_segmented: size, industry, region, acquisition source), its plan tier at that moment (the
    tier of the highest tier_rank among its lines then) and its ACV band (its ARR then against ref_acv_bands,
    rwh_acv_band_join: lower bounds included, a customer at $0 is in the lowest band). Without a tier or band
    (no line, no ARR in a band, or not a customer) they are 'none'. Accounts not in int_accounts_segmented
    are left out (inner join).

    Three pieces of one query, used together:
    - rwh_account_segments_ctes(): the import CTEs segment_accounts, segment_acv_bands and segment_tiers
      (each followed by a comma: put it before the model's own CTEs, or between them);
    - rwh_account_segments_columns(): the six columns size_segment, industry, region, acquisition_source,
      plan_tier, acv_band, in that order (no trailing comma);
    - rwh_account_segments_joins(account_id, tier_rank, arr, customer=none): the joins that find them for
      the row's account (SQL expression `account_id`) from its highest tier_rank and ARR at the moment
      (expressions `tier_rank`, `arr`); `customer`, a boolean SQL expression, keeps a row that is not a
      customer out of the band join.
-#}
{% macro rwh_account_segments_ctes() -%}
segment_accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

segment_acv_bands as (

    select * from {{ ref('ref_acv_bands') }}

),

segment_tiers as (

    select distinct
        tier_rank,
        plan_tier
    from {{ ref('stg_billing__products') }}

),
{%- endmacro %}
