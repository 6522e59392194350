{#- The block indexes an incremental run rebuilds for the changed weeks: each changed week's block and the
    block after it (whose look-back bits it feeds). -#}
{% macro rwh_usage_rebuilt_blocks(changed_weeks) -%}
    {%- set epoch = modules.datetime.date.fromisoformat(rwh_week_epoch()) -%}
    {%- set blocks = [] -%}
    {%- for week in changed_weeks -%}
        {%- set block = ((modules.datetime.date.fromisoformat(week[:10]) - epoch).days // 7) //
            rwh_usage_block_weeks() -%}
        {%- for b in [block, block + 1] if b not in blocks -%}
            {%- do blocks.append(b) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(blocks | sort) }}
{%- endmacro %}
