{#- The joins that find an account's segments at a moment; the pieces and their use are described in
    rwh_account_segments_ctes.sql. -#}
{% macro rwh_account_segments_joins(account_id, tier_rank, arr, customer=none) -%}
inner join segment_accounts
    on {{ account_id }} = segment_accounts.account_id
left join segment_tiers
    on {{ tier_rank }} = segment_tiers.tier_rank
left join segment_acv_bands
    on
        {% if customer is not none -%}
        {{ customer }}
        and {% endif -%}
        {{ rwh_acv_band_join('segment_acv_bands', arr) }}
{%- endmacro %}
