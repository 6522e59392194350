{#- The six segment columns of an account at a moment (no trailing comma); the pieces and their use are
    described in rwh_account_segments_ctes.sql. -#}
{% macro rwh_account_segments_columns() -%}
    segment_accounts.size_segment,
    segment_accounts.industry,
    segment_accounts.region,
    segment_accounts.acquisition_source,
    coalesce(segment_tiers.plan_tier, 'none') as plan_tier,
    coalesce(segment_acv_bands.acv_band, 'none') as acv_band
{%- endmacro %}
