-- Every quarantined row has a source key or is quarantined for a null key, so a steward can find it.
select *
from {{ ref('quarantined_rows') }}
where (source_key is null or source_key = '') and quarantine_reason != 'null_key'
