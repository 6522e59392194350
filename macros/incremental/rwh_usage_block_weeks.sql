{#-
    Weekly activity as bits (int_usage_user_blocks, int_usage_account_weeks). Weeks are numbered from the
    Monday rwh_week_epoch(), 1970-01-05 (week index) and grouped in blocks of rwh_usage_block_weeks() weeks; a user's
    activity in a block is one bigint with a bit per week, plus the last four weeks of the block before
    (the look-back bits), so the four-week covers of every week of a block can be read off one row.
-#}
{% macro rwh_usage_block_weeks() -%}
    {{ return(13) }}
{%- endmacro %}
