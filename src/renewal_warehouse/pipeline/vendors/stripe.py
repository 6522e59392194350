"""Stripe as Fivetran's Stripe connector lands it: the tables and columns the billing adapter reads.

Names as the connector writes them (lower snake case, as fivetran/dbt_stripe's ``get_<table>_columns`` macros
read them). What each becomes is in ``docs/sources/stripe.md``; the rules are in the adapter models
(``models/staging/billing/stripe/``).
"""

from __future__ import annotations

from renewal_warehouse.pipeline.vendors import Vendor, VendorColumn, VendorTable

C = VendorColumn
SYNCED = C("_fivetran_synced", "timestamp", "UTC time Fivetran last wrote the row: the contract's _loaded_at.")

STRIPE = Vendor(
    name="stripe",
    title="Stripe",
    system="billing",
    loader="Fivetran's Stripe connector",
    replaces=("contracts", "contract_lines", "products"),
    freshness_warn_hours=72,
    freshness_error_hours=24 * 14,
    tables=(
        VendorTable("customer", "One row per Stripe customer.", (
            C("id", "string", "Customer id (cus_...)."),
            C("livemode", "bool", "False for a test-mode customer: excluded with everything it owns."),
            C("is_deleted", "bool", "A deleted customer: kept while a subscription references it."),
            C("currency", "string", "Default currency (lower case); the fallback of a subscription's currency."),
            C("metadata", "string", "JSON object; the CRM account id under the key of var stripe_account_key."),
            C("created", "timestamp", "UTC time the customer was created."),
            SYNCED,
        ), becomes="the account of its subscriptions (by metadata key, else the customer id itself)"),
        VendorTable("subscription_history", "One row per version of a subscription (Fivetran history mode).", (
            C("id", "string", "Subscription id: the contract id."),
            C("customer_id", "string", "Customer billed."),
            C("status", "string", "trialing, active, past_due, unpaid, paused, canceled, incomplete or "
                                  "incomplete_expired."),
            C("created", "timestamp", "UTC time the subscription was created: the contract's signed date."),
            C("start_date", "timestamp", "Start of service (backdating-aware): the contract's start date."),
            C("cancel_at", "timestamp", "Scheduled end: a fixed-term subscription ends here (its term)."),
            C("cancel_at_period_end", "bool", "Cancelled to end with the current period."),
            C("canceled_at", "timestamp", "When cancellation was requested."),
            C("ended_at", "timestamp", "When service ended (immediate cancellation, deletion, end of term)."),
            C("current_period_start", "timestamp", "Start of the current billing period."),
            C("current_period_end", "timestamp", "End of the current billing period."),
            C("trial_start", "timestamp", "Start of the trial, if any."),
            C("trial_end", "timestamp", "End of the trial, if any: a subscription that never leaves its trial is a "
                                        "trial contract."),
            C("livemode", "bool", "False in test mode: excluded."),
            C("metadata", "string", "JSON object; the renewed subscription under the key of var "
                                    "stripe_renews_key."),
            C("_fivetran_active", "bool", "True on the current version (history mode)."),
            C("_fivetran_start", "timestamp", "When the version became current (history mode).", required=False),
            SYNCED,
        ), becomes="a contract (its current version; older versions are superseded)"),
        VendorTable("subscription_item", "One row per item (price and quantity) of a subscription, current state.", (
            C("id", "string", "Item id (si_...): the contract line id."),
            C("subscription_id", "string", "Subscription the item belongs to."),
            C("plan_id", "string", "Price (or legacy plan) id of the item."),
            C("quantity", "int", "Seats or units; null for a metered price."),
            C("created", "timestamp", "UTC time the item was added: the line's start when after the "
                                      "subscription's."),
            SYNCED,
        ), becomes="a contract line", parent="subscription_history"),
        VendorTable("price", "One row per price (the recurring or one-time amount of a product).", (
            C("id", "string", "Price id."),
            C("product_id", "string", "Product priced."),
            C("currency", "string", "ISO 4217 code, lower case."),
            C("unit_amount", "int", "Amount per unit per interval in Stripe's minor units of the currency."),
            C("type", "string", "recurring or one_time (one-time prices are not recurring revenue)."),
            C("billing_scheme", "string", "per_unit or tiered (a tiered price has no unit amount)."),
            C("recurring_interval", "string", "day, week, month or year."),
            C("recurring_interval_count", "int", "Intervals per billing period."),
            C("recurring_usage_type", "string", "licensed or metered (metered prices are not MRR)."),
            C("livemode", "bool", "False in test mode."),
            C("is_deleted", "bool", "Deleted price."),
            SYNCED,
        ), becomes="a line's list price, billing period and currency", parent="subscription_item"),
        VendorTable("product", "One row per product.", (
            C("id", "string", "Product id: the contract's product id."),
            C("name", "string", "Product name."),
            C("metadata", "string", "JSON object: product_family, plan_tier, tier_rank, is_add_on."),
            C("livemode", "bool", "False in test mode."),
            C("is_deleted", "bool", "Deleted product: kept while a price references it."),
            SYNCED,
        ), becomes="a product", parent="price", fresh=False),
        VendorTable("coupon", "One row per coupon.", (
            C("id", "string", "Coupon id."),
            C("percent_off", "float", "Percent off (0 to 100), or null."),
            C("amount_off", "int", "Amount off per billing period in Stripe's minor units, or null."),
            C("currency", "string", "Currency of amount_off."),
            C("duration", "string", "forever, once or repeating."),
            C("duration_in_months", "int", "Months a repeating coupon lasts."),
            C("livemode", "bool", "False in test mode."),
            SYNCED,
        ), becomes="the discount that makes a line's net price", fresh=False),
        VendorTable("discount", "One row per coupon applied to a customer, subscription or subscription item.", (
            C("id", "string", "Discount id."),
            C("type", "string", "What the coupon is applied to: customer, subscription or subscription_item."),
            C("type_id", "string", "Id of that object."),
            C("coupon_id", "string", "Coupon applied."),
            C("customer_id", "string", "Customer."),
            C("subscription_id", "string", "Subscription, when applied to one (or one of its items)."),
            C("start", "timestamp", "When the discount started."),
            C("end", "timestamp", "When it ends, if set."),
            SYNCED,
        ), becomes="which lines a coupon applies to, from when"),
    ),
)
