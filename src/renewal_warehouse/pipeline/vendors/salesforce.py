"""Salesforce as Fivetran's Salesforce connector lands it: the tables and columns the CRM adapter reads.

Names as the connector writes them (lower snake case, as fivetran/dbt_salesforce's ``get_<table>_columns``
macros read them; a custom field ``Expiring_ARR__c`` lands as ``expiring_arr_c``). ``opportunity_history`` is
Salesforce's OpportunityHistory object (one row each time an opportunity's stage, amount, probability or close
date changes), which no Fivetran package models. The custom fields named here are the defaults of var
``salesforce_fields``: an org names its own. What each becomes is in ``docs/sources/salesforce.md``; the rules
are in the adapter models (``models/staging/crm/salesforce/``).
"""

from __future__ import annotations

from renewal_warehouse.pipeline.vendors import Vendor, VendorColumn, VendorTable

C = VendorColumn
SYNCED = C("_fivetran_synced", "timestamp", "UTC time Fivetran last wrote the row: the contract's _loaded_at.")
ACTIVE = C("_fivetran_active", "bool", "History mode: true on the current version of a record. Absent without "
                                       "history mode (every row current).", required=False)
START = C("_fivetran_start", "timestamp", "History mode: when the version became current.", required=False)

# The custom fields the adapter reads (var salesforce_fields: contract column -> field), by default.
CUSTOM_FIELDS = {
    "expiring_contract_id": "expiring_contract_id_c",
    "expiring_arr_amount": "expiring_arr_c",
    "discount_percent": "discount_percent_c",
    "term_months": "term_months_c",
    "is_escalated": "is_escalated_c",
    "first_outreach_date": "first_outreach_date_c",
    "hired_date": "hire_date_c",
}

SALESFORCE = Vendor(
    name="salesforce",
    title="Salesforce",
    system="crm",
    loader="Fivetran's Salesforce connector",
    replaces=("accounts", "users", "account_ownership", "renewal_opportunities", "opportunity_stage_history"),
    freshness_warn_hours=24,
    freshness_error_hours=48,
    tables=(
        VendorTable("account", "One row per account, or per version of one (Fivetran history mode in place).", (
            C("id", "string", "Account id: the contract's account id."),
            C("name", "string", "Company name."),
            C("parent_id", "string", "Parent account (merges resolved)."),
            C("industry", "string", "Industry picklist value, mapped by seed ref_salesforce_values."),
            C("billing_country", "string", "Billing country (name or ISO code): the region, mapped by seed "
                                           "ref_salesforce_values."),
            C("number_of_employees", "int", "Employees."),
            C("account_source", "string", "Account source picklist value: the acquisition source."),
            C("owner_id", "string", "Account owner (the CSM; var salesforce_owner_column names another "
                                    "field): its runs over the versions are the ownership history."),
            C("created_date", "timestamp", "UTC time the account was created."),
            C("is_deleted", "bool", "Deleted (Salesforce's recycle bin): kept while something references it."),
            C("master_record_id", "string", "On an account deleted by a merge: the surviving account."),
            ACTIVE, START, SYNCED,
        ), becomes="an account (its current version) and its ownership periods (the runs of one owner over its "
                   "versions)"),
        VendorTable("user", "One row per Salesforce user.", (
            C("id", "string", "User id: the contract's user id."),
            C("name", "string", "Full name."),
            C("email", "string", "Email."),
            C("is_active", "bool", "Active user."),
            C("user_role_id", "string", "Role in the role hierarchy: the user's role."),
            C("department", "string", "Department: the user's team."),
            C("user_type", "string", "Standard for a licensed employee; others (AutomatedProcess, portal users) "
                                     "are excluded unless they own something."),
            C("hire_date_c", "date", "Custom field (var salesforce_fields.hired_date): the hired date.",
              required=False),
            C("_fivetran_deleted", "bool", "Removed at the source: an inactive user.", required=False),
            SYNCED,
        ), becomes="a user"),
        VendorTable("user_role", "One row per role of the role hierarchy.", (
            C("id", "string", "Role id."),
            C("name", "string", "Role label."),
            C("developer_name", "string", "Role API name, mapped to the contract's role by seed "
                                          "ref_salesforce_values."),
            SYNCED,
        ), becomes="a user's role", parent="user", fresh=False),
        VendorTable("record_type", "One row per record type.", (
            C("id", "string", "Record type id."),
            C("name", "string", "Label."),
            C("developer_name", "string", "API name: an opportunity of a record type in var "
                                          "salesforce_renewal_record_types is a renewal."),
            C("sobject_type", "string", "Object the record type belongs to (Opportunity)."),
            SYNCED,
        ), becomes="which opportunities are renewals", fresh=False),
        VendorTable("opportunity", "One row per opportunity, or per version of one (history mode in place).", (
            C("id", "string", "Opportunity id: the contract's opportunity id."),
            C("account_id", "string", "Account (merges resolved)."),
            C("owner_id", "string", "Owner."),
            C("type", "string", "Type picklist: an opportunity of a type in var salesforce_renewal_types is a "
                                "renewal."),
            C("record_type_id", "string", "Record type."),
            C("stage_name", "string", "Stage, mapped by seed ref_salesforce_values (unmapped: closed won / lost "
                                      "from is_won and is_closed)."),
            C("forecast_category", "string", "Forecast category API value (Pipeline, BestCase, Forecast = "
                                             "Commit, Closed, Omitted)."),
            C("probability", "float", "Probability, percent."),
            C("currency_iso_code", "string", "Currency of a multi-currency org; otherwise var "
                                             "salesforce_default_currency.", required=False),
            C("amount", "float", "Amount, major units: the renewal ARR."),
            C("close_date", "date", "Close date."),
            C("created_date", "timestamp", "UTC time created."),
            C("is_deleted", "bool", "Deleted: excluded unless a CRM activity references it."),
            C("is_closed", "bool", "Closed."),
            C("is_won", "bool", "Won."),
            C("system_modstamp", "timestamp", "UTC time of the last change: the contract's updated_at."),
            C("expiring_contract_id_c", "string", "Custom field: the billing contract renewed.", required=False),
            C("expiring_arr_c", "float", "Custom field: ARR up for renewal, major units.", required=False),
            C("discount_percent_c", "float", "Custom field: discount off list, percent.", required=False),
            C("term_months_c", "int", "Custom field: term negotiated, months.", required=False),
            C("is_escalated_c", "bool", "Custom field: executive involvement required.", required=False),
            C("first_outreach_date_c", "date", "Custom field: first outreach about the renewal.", required=False),
            ACTIVE, START, SYNCED,
        ), becomes="a renewal opportunity (renewals only; its current version)", parent="account"),
        VendorTable("opportunity_history", "Salesforce's OpportunityHistory object: one row each time an "
                                           "opportunity's stage, amount, probability or close date changed.", (
            C("id", "string", "History row id: the contract's stage change id."),
            C("opportunity_id", "string", "Opportunity."),
            C("stage_name", "string", "Stage after the change (mapped as the opportunity's)."),
            C("amount", "float", "Amount after the change."),
            C("close_date", "date", "Close date after the change."),
            C("probability", "float", "Probability after the change."),
            C("forecast_category", "string", "Forecast category after the change."),
            C("created_date", "timestamp", "UTC time of the change: when the stage was entered."),
            C("is_deleted", "bool", "Deleted with its opportunity."),
            SYNCED,
        ), becomes="a stage change (rows that changed the stage; the first entry into proposal and into closed "
                   "won date the proposal and the signature)", parent="opportunity"),
    ),
)
