{#-
    The columns a base model adds to the raw row to decide what becomes of it (rwh_flag_rows, and the usage
    base model's key hash and watermark): defined once here. Staged views leave them out, and the quarantine's
    row_values does too; the test assert_staging_columns_equal_yaml keeps every staging model's built columns
    equal to its YAML, so a bookkeeping column cannot leak into a staged view.
-#}
{% macro rwh_bookkeeping_columns() -%}
    {{ return(['base_row_id', 'row_hash', 'row_quarantine_reason', 'is_loaded_after_extract', 'is_latest_load',
               'min_row_hash', 'max_row_hash', 'copy_number', 'quarantine_reason', 'is_superseded',
               'is_duplicate', 'is_staged', 'key_hash', 'decided_as_of', 'usage_month']) }}
{%- endmacro %}
