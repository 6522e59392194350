"""HubSpot as Fivetran's HubSpot connector lands it: the tables and columns the CRM adapter reads.

Names as the connector writes them (lower snake case, as fivetran/dbt_hubspot's ``get_<table>_columns`` macros
read them): a record's properties land as ``property_<name>`` columns (``property_dealname``), one per property
the portal has, so every property column but the company's and the deal's name, dates and amount is optional (a
property the portal lacks reads as null). HubSpot's ids are numbers; the adapter reads every id as text. The
custom deal properties named here are the defaults of var ``hubspot_fields``. What each becomes is in
``docs/sources/hubspot.md``; the rules are in the adapter models (``models/staging/crm/hubspot/``).
"""

from __future__ import annotations

from renewal_warehouse.pipeline.vendors import Vendor, VendorColumn, VendorTable

C = VendorColumn
SYNCED = C("_fivetran_synced", "timestamp", "UTC time Fivetran last wrote the row: the contract's _loaded_at.")
DELETED = C("_fivetran_deleted", "bool", "Removed at the source.", required=False)

# The custom deal properties the adapter reads (var hubspot_fields: contract column -> property column), by default.
CUSTOM_FIELDS = {
    "expiring_contract_id": "property_expiring_contract_id",
    "expiring_arr_amount": "property_expiring_arr",
    "discount_percent": "property_discount_percent",
    "term_months": "property_term_months",
    "is_escalated": "property_is_escalated",
    "first_outreach_date": "property_first_outreach_date",
}

HUBSPOT = Vendor(
    name="hubspot",
    title="HubSpot",
    system="crm",
    loader="Fivetran's HubSpot connector",
    replaces=("accounts", "users", "account_ownership", "renewal_opportunities", "opportunity_stage_history"),
    freshness_warn_hours=24,
    freshness_error_hours=48,
    tables=(
        VendorTable("company", "One row per company.", (
            C("id", "string", "Company id (a number at HubSpot, read as text): the contract's account id."),
            C("property_name", "string", "Company name."),
            C("property_hs_parent_company_id", "string", "Parent company.", required=False),
            C("property_industry", "string", "Industry (HubSpot's internal value, e.g. COMPUTER_SOFTWARE), mapped "
                                             "by seed ref_hubspot_values.", required=False),
            C("property_country", "string", "Country (name or ISO code): the region, mapped by seed "
                                            "ref_hubspot_values.", required=False),
            C("property_numberofemployees", "int", "Employees.", required=False),
            C("property_hs_analytics_source", "string", "Original source (ORGANIC_SEARCH, OFFLINE, REFERRALS, ...): "
                                                        "the acquisition source, mapped by seed ref_hubspot_values.",
              required=False),
            C("property_hubspot_owner_id", "string", "Company owner (the CSM; var hubspot_owner_property names "
                                                     "another property): the current owner when the company has no "
                                                     "owner history.", required=False),
            C("property_createdate", "timestamp", "UTC time the company was created."),
            C("is_deleted", "bool", "Deleted (archived): kept while a renewal deal names it."),
            DELETED, SYNCED,
        ), becomes="an account"),
        VendorTable("company_property_history", "One row per value a company property took (HubSpot's property "
                                                "history).", (
            C("company_id", "string", "Company."),
            C("name", "string", "Property name: the rows of the owner property (var hubspot_owner_property, "
                                "default hubspot_owner_id) are the ownership history; the others are not read."),
            C("value", "string", "The owner id it took (empty when the owner was removed)."),
            C("timestamp", "timestamp", "UTC time the value was set."),
            SYNCED,
        ), becomes="the account's ownership periods (the runs of one owner over the owner property's values)",
            parent="company"),
        VendorTable("owner", "One row per HubSpot owner (a user who can own records).", (
            C("owner_id", "string", "Owner id: the contract's user id."),
            C("email", "string", "Email."),
            C("first_name", "string", "First name."),
            C("last_name", "string", "Last name."),
            C("type", "string", "PERSON for a user; a QUEUE is excluded unless it owns something.", required=False),
            C("is_active", "bool", "Active owner (absent: active).", required=False),
            C("created_at", "timestamp", "UTC time created.", required=False),
            DELETED, SYNCED,
        ), becomes="a user"),
        VendorTable("owner_team", "One row per owner and team the owner is on.", (
            C("owner_id", "string", "Owner."),
            C("team_id", "string", "Team."),
            C("is_team_primary", "bool", "The owner's primary team (else the team of lowest id)."),
            SYNCED,
        ), becomes="a user's team and role", parent="owner", fresh=False),
        VendorTable("team", "One row per team.", (
            C("id", "string", "Team id."),
            C("name", "string", "Team name: the user's team; its role by seed ref_hubspot_values (field team)."),
            SYNCED,
        ), becomes="a user's team and role", parent="owner_team", fresh=False),
        VendorTable("deal", "One row per deal.", (
            C("deal_id", "string", "Deal id: the contract's opportunity id."),
            C("deal_pipeline_id", "string", "Pipeline: a deal in a pipeline labelled in var hubspot_renewal_pipelines "
                                            "is a renewal."),
            C("deal_pipeline_stage_id", "string", "Stage (deal_pipeline_stage)."),
            C("owner_id", "string", "Deal owner."),
            C("property_dealname", "string", "Deal name.", required=False),
            C("property_dealtype", "string", "Deal type: a deal of a type in var hubspot_renewal_deal_types "
                                             "(default existingbusiness) is a renewal.", required=False),
            C("property_amount", "float", "Amount, major units: the renewal ARR."),
            C("property_deal_currency_code", "string", "Currency of a multi-currency portal; otherwise var "
                                                       "hubspot_default_currency.", required=False),
            C("property_hs_forecast_probability", "float", "Forecast probability (0 to 1); else the stage's.",
              required=False),
            C("property_hs_manual_forecast_category", "string", "Forecast category (OMIT, PIPELINE, BEST_CASE, "
                                                                "COMMIT, CLOSED).", required=False),
            C("property_closedate", "timestamp", "Close date."),
            C("property_createdate", "timestamp", "UTC time created."),
            C("property_hs_lastmodifieddate", "timestamp", "UTC time of the last change: the contract's updated_at "
                                                           "(absent: the sync time).", required=False),
            C("property_expiring_contract_id", "string", "Custom property: the billing contract renewed.",
              required=False),
            C("property_expiring_arr", "float", "Custom property: ARR up for renewal, major units.", required=False),
            C("property_discount_percent", "float", "Custom property: discount off list, percent.", required=False),
            C("property_term_months", "int", "Custom property: term negotiated, months.", required=False),
            C("property_is_escalated", "bool", "Custom property: executive involvement required.", required=False),
            C("property_first_outreach_date", "date", "Custom property: first outreach about the renewal.",
              required=False),
            C("is_deleted", "bool", "Deleted (archived): excluded unless a CRM activity references it."),
            DELETED, SYNCED,
        ), becomes="a renewal opportunity (renewals only)", parent="company"),
        VendorTable("deal_company", "One row per association of a deal with a company.", (
            C("deal_id", "string", "Deal."),
            C("company_id", "string", "Company: the deal's account (of several, the primary association, then the "
                                      "lowest id)."),
            C("type_id", "int", "Association type: 5 is HubSpot's primary deal-to-company association.",
              required=False),
            SYNCED,
        ), becomes="the account of a renewal", parent="deal"),
        VendorTable("deal_stage", "One row per stage a deal entered (Fivetran keeps the deal's stage in history "
                                  "mode).", (
            C("deal_id", "string", "Deal."),
            C("value", "string", "Stage id entered (deal_pipeline_stage)."),
            C("date_entered", "timestamp", "UTC time the stage was entered."),
            C("_fivetran_start", "timestamp", "When the row became current: with the deal, the row's key."),
            C("_fivetran_active", "bool", "True on the deal's current stage.", required=False),
            SYNCED,
        ), becomes="a stage change (rows that changed the stage; the first entries into proposal and closed won "
                   "date the proposal and the signature)", parent="deal"),
        VendorTable("deal_pipeline", "One row per deal pipeline.", (
            C("pipeline_id", "string", "Pipeline id."),
            C("label", "string", "Pipeline label."),
            DELETED, SYNCED,
        ), becomes="which deals are renewals", fresh=False),
        VendorTable("deal_pipeline_stage", "One row per stage of a pipeline.", (
            C("stage_id", "string", "Stage id."),
            C("pipeline_id", "string", "Pipeline."),
            C("label", "string", "Stage label, mapped by seed ref_hubspot_values (unmapped: a closed stage is closed "
                                 "won at probability 1, else closed lost)."),
            C("probability", "float", "Win probability of the stage (0 to 1): a deal's, unless it has its own."),
            C("is_closed", "bool", "A closed stage.", required=False),
            C("closed_won", "bool", "Deprecated by HubSpot for is_closed, and read as it: a closed stage (won or "
                                    "lost).", required=False),
            DELETED, SYNCED,
        ), becomes="a deal's stage and its probability", parent="deal_pipeline", fresh=False),
        VendorTable("merged_deal", "One row per deal merged into another.", (
            C("deal_id", "string", "The deal that remains."),
            C("merged_deal_id", "string", "The deal merged into it: excluded, counted once as the deal that "
                                          "remains."),
            SYNCED,
        ), becomes="which deals were merged away", fresh=False),
    ),
)
