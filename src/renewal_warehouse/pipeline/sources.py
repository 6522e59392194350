"""Write the dbt source YAML of every raw table from the raw data contract (``contract.py``).

The YAML is committed (dbt reads it, reviewers read it); ``rwh sources --check`` and a pytest fail when
it drifts from the contract. Enum lists, ranges and keys travel in ``config.meta`` so that the staging
models read them (``macros/staging/rwh_accepted_values.sql``) instead of repeating them.
"""

from __future__ import annotations

from pathlib import Path

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline import vendors as rv

HEADER = "# Generated from src/renewal_warehouse/pipeline/contract.py by `rwh sources`. Do not edit by hand.\n"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _column_doc(c: rc.Column) -> str:
    notes = []
    if not c.nullable:
        notes.append("never null")
    if c.enum:
        notes.append("one of " + ", ".join(c.enum))
    if c.min is not None or c.max is not None:
        lo = "" if c.min is None else f"{c.min:g}"
        hi = "" if c.max is None else f"{c.max:g}"
        notes.append(f"range [{lo}, {hi}]")
    return c.description + (f" ({'; '.join(notes)})" if notes else "")


def system_enabled_expression(system: str) -> str:
    """Jinja that is true when ``system`` is declared in RWH_SOURCE_SYSTEMS (as dbt_project.yml tests it)."""
    default = ",".join(rc.SYSTEMS_DEFAULT)
    return (f"{{{{ '{system}' in (env_var('RWH_SOURCE_SYSTEMS', '{default}') | lower | replace(' ', ''))"
            ".split(',') }}")


def vendor_enabled_expression(vendor: rv.Vendor) -> str:
    """Jinja that is true when RWH_SOURCE_FORMATS names ``vendor`` for its system (and the system is declared)."""
    default = ",".join(rc.SYSTEMS_DEFAULT)
    return (f"{{{{ '{vendor.system}' in (env_var('RWH_SOURCE_SYSTEMS', '{default}') | lower | replace(' ', ''))"
            f".split(',') and '{vendor.system}={vendor.name}' in (env_var('{rv.FORMATS_ENV}', '') | lower"
            " | replace(' ', '')).split(',') }}")


def render(system: str) -> str:
    tables = [t for t in rc.TABLES if t.system == system]
    out = [HEADER, "version: 2\n\nsources:\n"]
    out.append(f"  - name: {system}\n")
    out.append(f"    description: {_q(rc.SYSTEM_DESCRIPTIONS[system])}\n")
    out.append(f"    schema: \"{{{{ env_var('RWH_RAW_SCHEMA_PREFIX', 'raw_') }}}}{system}\"\n")
    out.append("    config:\n")
    out.append(f"      enabled: {_q(system_enabled_expression(system))}\n")
    out.append("      loaded_at_field: _loaded_at\n")
    out.append("      meta:\n")
    location = f"{{{{ env_var('RWH_RAW_DIR', 'data/raw') }}}}/{system}/{{name}}.parquet"
    out.append(f'        external_location: "{location}"\n')
    out.append("    tables:\n")
    for t in tables:
        out.append(f"      - name: {t.name}\n")
        out.append(f"        description: {_q(t.description + ' Primary key: ' + ', '.join(t.primary_key) + '.')}\n")
        out.append("        config:\n")
        out.append("          freshness:\n")
        out.append(f"            warn_after: {{count: {t.freshness_warn_hours}, period: hour}}\n")
        out.append(f"            error_after: {{count: {t.freshness_error_hours}, period: hour}}\n")
        out.append("          meta:\n")
        out.append(f"            primary_key: [{', '.join(t.primary_key)}]\n")
        out.append("        columns:\n")
        for c in t.columns:
            out.append(f"          - name: {c.name}\n")
            out.append(f"            description: {_q(_column_doc(c))}\n")
            out.append(f"            data_type: {c.type}\n")
            meta = {}
            if c.enum:
                meta["accepted_values"] = "[" + ", ".join(c.enum) + "]"
            if c.pii:
                meta["pii"] = "true"
            if c.name in t.primary_key:
                meta["is_key"] = "true"
            if meta:
                out.append("            config:\n              meta:\n")
                for k, v in meta.items():
                    out.append(f"                {k}: {v}\n")
    return "".join(out)


def render_vendor(vendor: rv.Vendor) -> str:
    """The source YAML of a vendor's tables as its loader lands them: Parquet files under <raw dir>/<vendor>/ on
    DuckDB and Spark, the schema RWH_<VENDOR>_SCHEMA (default: the vendor's name) on PostgreSQL."""
    out = [HEADER.replace("contract.py", f"vendors/{vendor.name}.py"), "version: 2\n\nsources:\n"]
    out.append(f"  - name: {vendor.name}\n")
    about = (f"{vendor.title} as {vendor.loader} lands it (the {vendor.system} adapter reads it when "
             f"{rv.FORMATS_ENV} names {vendor.system}={vendor.name}; docs/sources/{vendor.name}.md).")
    out.append(f"    description: {_q(about)}\n")
    out.append(f"    schema: \"{{{{ env_var('{vendor.schema_env}', '{vendor.name}') }}}}\"\n")
    out.append("    config:\n")
    out.append(f"      enabled: {_q(vendor_enabled_expression(vendor))}\n")
    out.append(f"      loaded_at_field: {vendor.synced_column}\n")
    out.append("      freshness:\n")
    out.append(f"        warn_after: {{count: {vendor.freshness_warn_hours}, period: hour}}\n")
    out.append(f"        error_after: {{count: {vendor.freshness_error_hours}, period: hour}}\n")
    out.append("      meta:\n")
    location = f"{{{{ env_var('RWH_RAW_DIR', 'data/raw') }}}}/{vendor.name}/{{name}}.parquet"
    out.append(f'        external_location: "{location}"\n')
    out.append("    tables:\n")
    for t in vendor.tables:
        out.append(f"      - name: {t.name}\n")
        out.append(f"        description: {_q(t.description + ' Becomes ' + t.becomes + '.')}\n")
        if not t.fresh:  # reference data: an old newest row is not a stale sync
            out.append("        config:\n          freshness: null\n")
        out.append("        columns:\n")
        for c in t.columns:
            out.append(f"          - name: {c.name}\n")
            note = "" if c.required else " (optional: read when the loader lands it)"
            out.append(f"            description: {_q(c.description + note)}\n")
            out.append(f"            data_type: {c.type}\n")
    return "".join(out)


def vendor_source_path(root: Path, vendor: rv.Vendor) -> Path:
    return root / "models" / "staging" / vendor.system / vendor.name / f"_{vendor.name}__sources.yml"


VENDOR_MACRO_PATH = Path("macros") / "generated" / "rwh_vendors.sql"


def render_vendor_macro() -> str:
    """The vendors, their system and the contract tables each replaces, as a dbt macro (rwh_raw reads it)."""
    rows = ",\n".join(
        f"        {{'vendor': '{v.name}', 'system': '{v.system}', 'replaces': {list(v.replaces)}, "
        f"'tables': {[t.name for t in v.tables]}}}" for v in rv.vendors().values())
    return ("{#- Generated from src/renewal_warehouse/pipeline/vendors/ by `rwh sources`. Do not edit by hand. -#}\n"
            "{% macro rwh_vendors() -%}\n    {{ return([\n" + rows + "\n    ]) }}\n{%- endmacro %}\n")


MACRO_PATH = Path("macros") / "generated" / "rwh_raw_tables.sql"


def render_macro() -> str:
    """The raw tables and their keys as a dbt macro (refs must be static, so dbt cannot read the graph)."""
    rows = ",\n".join(
        f"        {{'system': '{t.system}', 'table': '{t.name}', 'key': {list(t.primary_key)}}}" for t in rc.TABLES)
    return ("{#- Generated from src/renewal_warehouse/pipeline/contract.py by `rwh sources`. Do not edit by hand. -#}\n"
            "{% macro rwh_raw_tables() -%}\n    {{ return([\n" + rows + "\n    ]) }}\n{%- endmacro %}\n")


def source_path(root: Path, system: str) -> Path:
    return root / "models" / "staging" / system / f"_{system}__sources.yml"


def _generated(root: Path) -> dict[Path, str]:
    """Every generated file and the text it must hold."""
    files = {source_path(root, s): render(s) for s in rc.SYSTEMS}
    files.update({vendor_source_path(root, v): render_vendor(v) for v in rv.vendors().values()})
    files[root / MACRO_PATH] = render_macro()
    files[root / VENDOR_MACRO_PATH] = render_vendor_macro()
    return files


def write(root: Path) -> list[Path]:
    written = []
    for path, text in _generated(root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(path)
    return written


def drift(root: Path) -> list[Path]:
    """Generated files (source YAML, macros) that differ from what the contract and the vendor specs render."""
    return [path for path, text in _generated(root).items() if not path.exists() or path.read_text() != text]
