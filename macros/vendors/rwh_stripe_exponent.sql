{#-
    The decimals Stripe keeps amounts of a currency in (its "zero-decimal" and "three-decimal" lists): 0 for
    the zero-decimal currencies (JPY, KRW, VND, CLP, ...), 3 for BHD, JOD, KWD, OMR and TND, else 2, which
    includes ISK (ISO 4217 says 0; Stripe keeps its amounts in two decimals). An amount in Stripe's minor units
    times 10 ^ (ISO exponent - this) is the amount in the contract's minor units (seeds/ref_currencies.csv).
-#}
{% macro rwh_stripe_exponent(currency) -%}
    case
        when {{ currency }} in (
            'BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF',
            'XOF', 'XPF'
        ) then 0
        when {{ currency }} in ('BHD', 'JOD', 'KWD', 'OMR', 'TND') then 3
        else 2
    end
{%- endmacro %}
