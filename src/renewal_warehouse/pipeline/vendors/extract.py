"""What every demo writer does to a generated extract (``rwh generate --format``): read the contract tables a
vendor replaces, keep their clean rows (no planted quarantine rows; one version per key, the latest load), write
the vendor's tables as Parquet and record the conversion in ``_manifest.json`` beside the other vendors'."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from renewal_warehouse.pipeline import contract as rc

Row = dict


def key_of(qualified: str, row: Row) -> str:
    """The row's key as the manifest spells it (the generator's key_of: null -> "")."""
    (name,) = rc.table(qualified).primary_key
    return "" if row[name] is None else str(row[name])


def latest(versions: list[Row]) -> Row:
    """The version a key keeps: the max _loaded_at (ties, identical duplicates, broken by content)."""
    return max(versions, key=lambda r: (r["_loaded_at"], repr(sorted(r.items()))))


def _same_content(a: Row, b: Row) -> bool:
    return {k: v for k, v in a.items() if k != "_loaded_at"} == {k: v for k, v in b.items() if k != "_loaded_at"}


def clean_rows(qualified: str, rows: list[Row], manifest: dict) -> tuple[dict[str, Row], Counter]:
    """The clean rows by key, and the count of dropped rows per reason: a quarantined key's rows (the
    manifest's reason), then all but the latest version of a key ("duplicate" when only _loaded_at differs,
    else "superseded")."""
    quarantined = {e["key"]: e["reason"] for e in manifest["expected_quarantine"] if e["table"] == qualified}
    dropped: Counter = Counter()
    by_key: dict[str, list[Row]] = {}
    for row in rows:
        key = key_of(qualified, row)
        if key in quarantined:
            dropped[quarantined[key]] += 1
        else:
            by_key.setdefault(key, []).append(row)
    kept = {}
    for key, versions in by_key.items():
        kept[key] = latest(versions)
        for v in versions:
            if v is not kept[key]:
                dropped["duplicate" if _same_content(v, kept[key]) else "superseded"] += 1
    return kept, dropped


def ts(d: date | None) -> datetime | None:
    """A date as the midnight timestamp a vendor would hold."""
    return None if d is None else datetime(d.year, d.month, d.day)


def raw_path(raw_dir: Path, qualified: str) -> Path:
    system, name = qualified.split(".")
    return Path(raw_dir) / system / f"{name}.parquet"


def read_table(raw_dir: Path, qualified: str) -> list[Row]:
    return pq.read_table(raw_path(raw_dir, qualified)).to_pylist()


def write_parquet(rows: Iterable[Row], schema: pa.Schema, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(list(rows), schema=schema), path, compression="zstd")


def vendor_schema(columns: Iterable[tuple[str, str]]) -> pa.Schema:
    """The Arrow schema of a vendor table from (name, contract type) pairs."""
    return pa.schema([pa.field(name, rc.arrow_type(type_)) for name, type_ in columns])


def twin_rows(raw_dir: Path, qualified: str, kept: set[str]) -> list[Row]:
    """The contract-format rows of ``qualified`` a vendor expressed: only the ``kept`` keys, each once (the
    version with the max _loaded_at), sorted by key."""
    versions: dict[str, list[Row]] = {}
    for row in read_table(raw_dir, qualified):
        key = key_of(qualified, row)
        if key in kept:
            versions.setdefault(key, []).append(row)
    return [latest(versions[key]) for key in sorted(versions)]


def record_vendor(manifest: dict, system: str, vendor: str, replaced: tuple[str, ...], row_counts: dict[str, int],
                  not_expressed: dict[str, Counter], quirks: list[Row]) -> None:
    """Record a vendor's conversion in the manifest, beside any other vendor's: the system's format, the vendor
    tables' row counts (which replace the replaced contract tables' in row_counts), the contract rows it could
    not express per reason, its planted quirks; the replaced tables' planted rows leave the expectations."""
    manifest["source_formats"] = {**manifest.get("source_formats", {}), system: vendor}
    manifest["vendor_row_counts"] = {**manifest.get("vendor_row_counts", {}), **row_counts}
    manifest["not_expressed"] = {**manifest.get("not_expressed", {}),
                                 **{q: dict(sorted(c.items())) for q, c in not_expressed.items()}}
    manifest["vendor_quirks"] = sorted(manifest.get("vendor_quirks", []) + quirks,
                                       key=lambda q: (q["table"], q["key"], q["reason"]))
    manifest["row_counts"] = {**{q: n for q, n in manifest["row_counts"].items() if q not in replaced}, **row_counts}
    for key in ("expected_quarantine", "expected_duplicates", "expected_superseded"):
        manifest[key] = [e for e in manifest[key] if e["table"] not in replaced]


def write_manifest(raw_dir: Path, manifest: dict) -> None:
    (Path(raw_dir) / "_manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")


def write_vendor(raw_dir: Path, manifest: dict, vendor, tables: dict[str, list[Row]],
                 extras: dict[str, tuple[tuple[str, str], ...]], not_expressed: dict[str, Counter],
                 quirks: list[Row], progress) -> None:
    """Write every table of ``vendor`` (a ``Vendor`` spec) from ``tables`` to ``<raw_dir>/<vendor>/<table>.parquet``
    (the spec's columns in order, then the unread ``extras``), remove the contract files it replaces, and record
    the conversion in the manifest."""
    raw_dir = Path(raw_dir)
    replaced = tuple(f"{vendor.system}.{name}" for name in vendor.replaces)
    for t in vendor.tables:
        schema = vendor_schema([(c.name, c.type) for c in t.columns] + list(extras.get(t.name, ())))
        write_parquet(tables[t.name], schema, raw_dir / vendor.name / f"{t.name}.parquet")
    for qualified in replaced:
        raw_path(raw_dir, qualified).unlink()
    counts = {f"{vendor.name}.{t.name}": len(tables[t.name]) for t in vendor.tables}
    record_vendor(manifest, vendor.system, vendor.name, replaced, counts, not_expressed, quirks)
    write_manifest(raw_dir, manifest)
    progress(f"wrote {sum(counts.values()):,} rows in {len(vendor.tables)} {vendor.title} tables to "
             f"{raw_dir / vendor.name}")


def read_clean(raw_dir: Path, replaced: tuple[str, ...]) -> tuple[dict, dict[str, dict[str, Row]], dict[str, Counter]]:
    """The extract's manifest, and the clean rows by key of each ``replaced`` contract table with the count of
    rows dropped per reason (``clean_rows``)."""
    manifest = json.loads((Path(raw_dir) / "_manifest.json").read_text())
    clean, dropped = {}, {}
    for qualified in replaced:
        clean[qualified], dropped[qualified] = clean_rows(qualified, read_table(raw_dir, qualified), manifest)
    return manifest, clean, dropped


def write_crm_vendor(raw_dir: Path, vendor, replaced: tuple[str, ...], writer_class, twin_tables, extras,
                     progress) -> dict:
    """What a CRM writer does (``write_salesforce``, ``write_hubspot``): read the clean rows of the ``replaced``
    tables, build the vendor's tables and quirks (``writer_class(clean, as_of, extracted_at).build()``) and the
    twin (``twin_tables(clean, tables, not_expressed)``: the contract rows the adapter derives), write them
    (``write_vendor``) and return {"kept": keys of the twin's rows per table, "twin": the twin's rows, "manifest": the
    manifest}."""
    manifest, clean, not_expressed = read_clean(raw_dir, replaced)
    as_of, extracted_at = date.fromisoformat(manifest["as_of"]), datetime.fromisoformat(manifest["extracted_at"])
    writer = writer_class(clean, as_of, extracted_at)
    writer.build()
    twin = twin_tables(clean, writer.tables, not_expressed)
    write_vendor(raw_dir, manifest, vendor, writer.tables, extras, not_expressed, writer.quirks, progress)
    kept = {q: {key_of(q, r) for r in rows} for q, rows in twin.items()}
    return {"kept": kept, "twin": twin, "manifest": manifest}


def write_twin(raw_dir: Path, twin: dict[str, list[Row]]) -> None:
    """Rewrite ``raw_dir``'s contract tables in ``twin`` (qualified name -> contract rows), sorted by key."""
    for qualified, rows in twin.items():
        rows = sorted(rows, key=lambda r: key_of(qualified, r))
        write_parquet(rows, rc.arrow_schema(rc.table(qualified)), raw_path(raw_dir, qualified))
