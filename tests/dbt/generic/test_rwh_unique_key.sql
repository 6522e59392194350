{#-
    The combination of the given columns is unique, checked at the cost of a GROUP BY on a 64-bit hash
    (rwh_key_hash) instead of the columns themselves: only the rows of a repeated hash are then grouped by
    their real key, so a hash collision can never fail the test and a real duplicate can never pass it.
    For the largest tables (rwh_unique_combination does the same on small ones).
-#}
{% test rwh_unique_key(model, columns) %}

with hashed as (

    select {{ rwh_key_hash(columns) }} as key_hash
    from {{ model }}

),

repeated_hashes as (

    select key_hash
    from hashed
    group by key_hash
    having count(*) > 1

),

rows_of_repeated_hashes as (

    select {{ columns | join(', ') }}
    from {{ model }}
    inner join repeated_hashes
        on {{ rwh_key_hash(columns) }} = repeated_hashes.key_hash

)

select
    {{ columns | join(', ') }},
    count(*) as row_count
from rows_of_repeated_hashes
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
