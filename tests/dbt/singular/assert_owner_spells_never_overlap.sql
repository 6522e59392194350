-- int_account_owner_spells answers "who owned account A on date D" with one spell at most: no two spells
-- of an account share a day. Returns the overlapping pairs.
{{ config(enabled=rwh_has_systems(['billing', 'crm'])) }}

select
    earlier.account_id,
    earlier.owner_spell_id as earlier_spell_id,
    later.owner_spell_id as later_spell_id
from {{ ref('int_account_owner_spells') }} as earlier
inner join {{ ref('int_account_owner_spells') }} as later
    on
        earlier.account_id = later.account_id
        and earlier.valid_from_date < later.valid_from_date
        and (earlier.valid_to_date is null or earlier.valid_to_date >= later.valid_from_date)
