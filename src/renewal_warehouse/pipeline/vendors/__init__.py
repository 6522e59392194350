"""Vendor source formats: the tables a loader (Fivetran) lands for a vendor, and which raw-contract tables the
vendor's adapter models make of them.

A deployment names its vendors per source system in RWH_SOURCE_FORMATS (``billing=stripe``); a system not named
keeps the contract format (``contract.py``). The adapter models (``models/staging/<system>/<vendor>/``) turn
the vendor's tables into the contract tables the vendor ``replaces``, and the staging base models read them
instead of the contract's files (macro ``rwh_raw``). Contract tables a vendor has no source for (billing's FX
rates under Stripe) stay in the contract format beside the vendor's tables.

From the specs here come the vendor source YAML (``rwh sources``), the pre-check of the gate (required tables
and columns, an empty table beside a non-empty parent, freshness from the loader's sync column) and
``docs/sources/<vendor>.md``'s table list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from renewal_warehouse.pipeline import contract as rc

FORMATS_ENV = "RWH_SOURCE_FORMATS"
CONTRACT = "contract"


@dataclass(frozen=True)
class VendorColumn:
    name: str
    type: str  # the contract's type names: string | int | float | bool | date | timestamp
    description: str
    required: bool = True


@dataclass(frozen=True)
class VendorTable:
    name: str
    description: str
    columns: tuple[VendorColumn, ...]
    becomes: str  # what the adapter makes of a row, in words (docs/sources/<vendor>.md)
    # a table whose rows need this one's: this table empty while the parent has rows fails the pre-check
    # (a loader that skipped the stream on a permission error lands an empty table silently)
    parent: str | None = None
    # False for reference data that changes rarely (products, roles, record types, tags, organizations): a loader
    # rewrites only changed rows, so its newest row can be months old in a healthy sync; its freshness is not
    # checked (the vendor's other tables show a stalled sync)
    fresh: bool = True

    def column(self, name: str) -> VendorColumn:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


@dataclass(frozen=True)
class Vendor:
    name: str
    title: str
    system: str
    loader: str
    tables: tuple[VendorTable, ...]
    replaces: tuple[str, ...]  # contract tables of `system` the adapter produces
    synced_column: str = "_fivetran_synced"
    freshness_warn_hours: int = 48
    freshness_error_hours: int = 24 * 14

    @property
    def schema_env(self) -> str:
        """The variable naming the schema the loader lands the vendor's tables in (PostgreSQL)."""
        return f"RWH_{self.name.upper()}_SCHEMA"

    def schema(self) -> str:
        return os.environ.get(self.schema_env, self.name)

    def table(self, name: str) -> VendorTable:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(f"{self.name} has no table {name!r}")


class SourceFormatsError(ValueError):
    """RWH_SOURCE_FORMATS names an unknown system or vendor, or a vendor for the wrong system."""


def _vendors() -> dict[str, Vendor]:
    from renewal_warehouse.pipeline.vendors.hubspot import HUBSPOT
    from renewal_warehouse.pipeline.vendors.salesforce import SALESFORCE
    from renewal_warehouse.pipeline.vendors.segment import SEGMENT
    from renewal_warehouse.pipeline.vendors.stripe import STRIPE
    from renewal_warehouse.pipeline.vendors.zendesk import ZENDESK

    return {v.name: v for v in (STRIPE, SALESFORCE, HUBSPOT, ZENDESK, SEGMENT)}


def vendors() -> dict[str, Vendor]:
    """Every vendor the warehouse has adapters for, by name."""
    return _vendors()


def writers() -> dict:
    """The vendors the demo generator can write its world as (``rwh generate --format``): vendor -> writer."""
    from renewal_warehouse.pipeline.vendors.hubspot_writer import write_hubspot
    from renewal_warehouse.pipeline.vendors.salesforce_writer import write_salesforce
    from renewal_warehouse.pipeline.vendors.segment_writer import write_segment
    from renewal_warehouse.pipeline.vendors.stripe_writer import write_stripe
    from renewal_warehouse.pipeline.vendors.zendesk_writer import write_zendesk

    return {"stripe": write_stripe, "salesforce": write_salesforce, "hubspot": write_hubspot, "zendesk": write_zendesk,
            "segment": write_segment}


def format_value(formats: dict[str, str]) -> str:
    """``{system: vendor}`` as RWH_SOURCE_FORMATS spells it."""
    return ",".join(f"{system}={vendor}" for system, vendor in formats.items())


def declared_formats(value: str | None = None) -> dict[str, str]:
    """``{system: vendor}`` from ``value`` (default: RWH_SOURCE_FORMATS), parsed as the dbt macro
    ``rwh_source_format`` parses it: ``system=vendor`` pairs, comma-separated, case and spaces ignored; a
    system not named (or named ``=contract``) keeps the contract format and is left out."""
    raw = os.environ.get(FORMATS_ENV, "") if value is None else value
    known = vendors()
    formats: dict[str, str] = {}
    for part in (p.strip().lower().replace(" ", "") for p in raw.split(",")):
        if not part:
            continue
        system, sep, vendor = part.partition("=")
        if not sep or not system or not vendor:
            raise SourceFormatsError(f"{FORMATS_ENV}='{raw}': '{part}' is not system=vendor "
                                     "(for example billing=stripe)")
        if system not in rc.SYSTEMS:
            raise SourceFormatsError(f"{FORMATS_ENV} names unknown source system {system!r}; the known ones are "
                                     f"{', '.join(rc.SYSTEMS_DEFAULT)}")
        if system in formats:
            raise SourceFormatsError(f"{FORMATS_ENV} names {system} twice ({formats[system]} and {vendor})")
        if vendor == CONTRACT:
            continue
        if vendor not in known:
            for_system = sorted(v.name for v in known.values() if v.system == system)
            raise SourceFormatsError(f"{FORMATS_ENV}: no adapter for vendor {vendor!r}; for {system} there is "
                                     f"{', '.join(for_system + [CONTRACT])}")
        if known[vendor].system != system:
            raise SourceFormatsError(f"{FORMATS_ENV}: {vendor} is a {known[vendor].system} source, not {system} "
                                     f"(write {known[vendor].system}={vendor})")
        formats[system] = vendor
    return formats


def declared_vendors(systems: tuple[str, ...] | None = None, value: str | None = None) -> tuple[Vendor, ...]:
    """The vendors of the declared source systems (RWH_SOURCE_SYSTEMS), in the systems' order."""
    systems = rc.declared_systems() if systems is None else systems
    formats = declared_formats(value)
    known = vendors()
    return tuple(known[formats[s]] for s in systems if s in formats)


def contract_tables(systems: tuple[str, ...] | None = None, value: str | None = None) -> tuple[rc.Table, ...]:
    """The contract-format raw tables of the declared systems: all of theirs but those a vendor replaces."""
    systems = rc.declared_systems() if systems is None else systems
    replaced = {f"{v.system}.{name}" for v in declared_vendors(systems, value) for name in v.replaces}
    return tuple(t for t in rc.tables_of(systems) if t.qualified not in replaced)
