"""LookML for Looker, written from the dbt manifests: one view per mart, one model file with an explore per mart.

    rwh lookml [--out target/lookml] [--connection renewal_warehouse] [--schema marts]

* **Views** (``views/<mart>.view.lkml``): a dimension per contracted column with its description; the type
  follows the column's ``data_type`` (``yesno`` for booleans, a ``dimension_group`` of timeframes for dates,
  ``number`` with a money, percent or decimal format for numerics, ``string`` otherwise); the mart's primary
  key (the column tested unique and not null) is the view's ``primary_key``.
* **Measures** come from the semantic layer (``models/marts/<room>/_<room>__semantic.yml``): each MetricFlow measure of
  a semantic model on the mart becomes a ``sum`` measure, each ratio metric a ``number`` measure dividing two of
  them, each derived metric a ``number`` measure over the measures it names. Looker and ``mf query`` then
  compute the same figures from the same definitions.
* **Explores** (``renewal_warehouse.model.lkml``): one per mart. An aggregated mart's explore carries an
  ``always_filter`` on ``period_type`` and ``segment_type`` (docs/reporting-grammar.md), so a Looker user
  starts from one slice and a sum never counts a fact twice.

It reads ``target/manifest.json`` and ``target/semantic_manifest.json``: run ``dbt parse`` first (``rwh lookml``
does it unless ``--no-parse``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

class LookmlError(Exception):
    """The manifests are missing or do not describe the marts (run dbt parse)."""


@dataclass
class View:
    name: str
    lines: list[str] = field(default_factory=list)


def _quote(text: str) -> str:
    return '"' + (text or "").replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _format(column: str, data_type: str) -> str | None:
    if column.endswith(("_rate", "_share")):
        return "percent_2"
    if column.endswith(("_arr", "_mrr")) or column in ("arpa", "arpa_year_ago", "ltv_simple", "ltv_advanced"):
        return "usd"
    if data_type.startswith("decimal"):
        return "decimal_2"
    return None


def _dimension(column: dict, primary_key: str | None) -> list[str]:
    name, data_type = column["name"], (column.get("data_type") or "varchar").replace(" ", "")
    description = _quote(column.get("description", ""))
    if data_type == "date":
        base = name[: -len("_date")] if name.endswith("_date") else name
        return [f"  dimension_group: {base} {{",
                "    type: time",
                "    timeframes: [raw, date, week, month, quarter, year]",
                "    datatype: date",
                "    convert_tz: no",
                f"    sql: ${{TABLE}}.{name} ;;",
                f"    description: {description}",
                "  }"]
    lkml_type = {"boolean": "yesno", "bigint": "number"}.get(data_type, "number" if data_type.startswith("decimal")
                                                               else "string")
    lines = [f"  dimension: {name} {{", f"    type: {lkml_type}", f"    sql: ${{TABLE}}.{name} ;;",
             f"    description: {description}"]
    fmt = _format(name, data_type) if lkml_type == "number" else None
    if fmt:
        lines.append(f"    value_format_name: {fmt}")
    if name == primary_key:
        lines.append("    primary_key: yes")
    lines.append("  }")
    return lines


def _table_sql(expr: str, columns: list[str]) -> str:
    """A MetricFlow measure expression with the mart's columns qualified as ${TABLE}.column."""
    names = sorted(columns, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.$])(" + "|".join(map(re.escape, names)) + r")(?!\w)")
    return pattern.sub(lambda m: "${TABLE}." + m.group(1), expr)


def _primary_key(manifest: dict, node: dict) -> str | None:
    tested = {}
    for test in manifest["nodes"].values():
        if test["resource_type"] == "test" and test.get("attached_node") == node["unique_id"]:
            meta = test.get("test_metadata") or {}
            if meta.get("name") in ("unique", "not_null") and test.get("column_name"):
                tested.setdefault(test["column_name"], set()).add(meta["name"])
    keys = [c for c in node["columns"] if tested.get(c) == {"unique", "not_null"}]
    return keys[0] if keys else None


def _load(target_path: Path) -> tuple[dict, dict]:
    paths = (target_path / "manifest.json", target_path / "semantic_manifest.json")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise LookmlError(f"missing {', '.join(missing)}: run `dbt parse` (or `rwh lookml` without --no-parse)")
    return json.loads(paths[0].read_text()), json.loads(paths[1].read_text())


def marts_of(manifest: dict) -> list[dict]:
    nodes = [n for n in manifest["nodes"].values()
             if n["resource_type"] == "model" and n["original_file_path"].startswith("models/marts/")]
    return sorted(nodes, key=lambda n: n["name"])


def _model_name(ref: dict | str) -> str:
    """The model a semantic model is on, from the semantic manifest's node_relation or ref('x')."""
    if isinstance(ref, dict):
        return ref.get("alias") or ref["relation_name"].split(".")[-1].strip('"')
    match = re.search(r"ref\(['\"](\w+)['\"]\)", ref)
    return match.group(1) if match else ref


def _measures_by_model(semantic: dict) -> tuple[dict[str, list[dict]], dict[str, str]]:
    by_model: dict[str, list[dict]] = {}
    owner: dict[str, str] = {}
    for sm in semantic.get("semantic_models", []):
        model = _model_name(sm.get("node_relation") or sm.get("model"))
        by_model.setdefault(model, []).extend(sm.get("measures", []))
        for measure in sm.get("measures", []):
            owner[measure["name"]] = model
    return by_model, owner


def _metric_measures(metric: dict, metrics: dict[str, dict]) -> list[str]:
    """The measures a metric reads (through the simple metrics a ratio or derived metric names)."""
    params = metric.get("type_params") or {}
    if params.get("measure"):
        return [params["measure"]["name"]]
    names = []
    for key in ("numerator", "denominator"):
        if params.get(key):
            names += _metric_measures(metrics[params[key]["name"]], metrics)
    for sub in params.get("metrics") or []:
        names += _metric_measures(metrics[sub["name"]], metrics)
    return names


def _metric_sql(metric: dict, metrics: dict[str, dict]) -> str:
    """A metric as a LookML expression over the view's measures."""
    params = metric.get("type_params") or {}
    kind = metric["type"]
    if kind == "simple":
        return "${" + params["measure"]["name"] + "}"
    if kind == "ratio":
        numerator = _metric_sql(metrics[params["numerator"]["name"]], metrics)
        denominator = _metric_sql(metrics[params["denominator"]["name"]], metrics)
        return f"1.0 * {numerator} / nullif({denominator}, 0)"
    if kind == "derived":
        expr = params["expr"]
        for sub in params.get("metrics") or []:
            expr = re.sub(rf"\b{re.escape(sub['name'])}\b", "(" + _metric_sql(metrics[sub["name"]], metrics) + ")",
                          expr)
        return expr
    raise LookmlError(f"metric {metric['name']}: type {kind} has no LookML translation")


def build_views(manifest: dict, semantic: dict, schema: str = "marts") -> list[View]:
    measures, owner = _measures_by_model(semantic)
    metrics = {m["name"]: m for m in semantic.get("metrics", [])}
    views = []
    for node in marts_of(manifest):
        name = node["name"]
        columns = list(node["columns"].values())
        if not columns:
            raise LookmlError(f"mart {name} declares no columns: its YAML is missing")
        key = _primary_key(manifest, node)
        lines = [f"view: {name} {{", f"  sql_table_name: {schema}.{name} ;;",
                 f"  description: {_quote(node['description'])}", ""]
        for column in columns:
            lines += _dimension(column, key)
        lines += ["", "  measure: row_count {", "    type: count", '    description: "Rows of the mart."', "  }"]
        column_names = [c["name"] for c in columns]
        for measure in measures.get(name, []):
            lines += [f"  measure: {measure['name']} {{", "    type: sum",
                      f"    sql: {_table_sql(measure.get('expr') or measure['name'], column_names)} ;;",
                      f"    description: {_quote(measure.get('description') or '')}"]
            fmt = _format(measure["name"], "decimal")
            if fmt == "usd":
                lines.append("    value_format_name: usd")
            lines.append("  }")
        for metric in metrics.values():
            if metric["type"] == "simple":
                continue  # the measure itself is the simple metric
            used = _metric_measures(metric, metrics)
            if not used or any(owner.get(m) != name for m in used):
                continue
            fmt = "percent_2" if metric["name"].endswith("_rate") else "usd"
            lines += [f"  measure: {metric['name']} {{", "    type: number",
                      f"    sql: {_metric_sql(metric, metrics)} ;;",
                      f"    label: {_quote(metric.get('label') or metric['name'])}",
                      f"    description: {_quote(metric.get('description') or '')}",
                      f"    value_format_name: {fmt}", "  }"]
        lines.append("}")
        views.append(View(name, lines))
    return views


def _grammar(manifest: dict, node: dict) -> dict:
    """The arguments of the mart's rwh_reporting_grammar test: its period types, segment types, breakdowns."""
    for test in manifest["nodes"].values():
        meta = test.get("test_metadata") or {}
        if test["resource_type"] == "test" and test.get("attached_node") == node["unique_id"] \
                and meta.get("name") == "rwh_reporting_grammar":
            return meta.get("kwargs") or {}
    return {}


def _base_rows_only(semantic: dict) -> set[str]:
    """The marts whose semantic measures leave roll-up rows out (their expressions name is_rollup): the
    semantic layer sums their base rows and makes the totals itself."""
    measures, _ = _measures_by_model(semantic)
    return {model for model, items in measures.items() if any("is_rollup" in (m.get("expr") or "") for m in items)}


def build_model(manifest: dict, connection: str, semantic: dict | None = None) -> str:
    base_rows_only = _base_rows_only(semantic or {})
    lines = [f"connection: {_quote(connection)}", "", 'include: "/views/*.view.lkml"', ""]
    for node in marts_of(manifest):
        name = node["name"]
        grammar = _grammar(manifest, node)
        lines.append(f"explore: {name} {{")
        lines.append(f"  description: {_quote(node['description'].split('. ')[0])}")
        if grammar:
            # One slice of the reporting grammar by default, so no sum counts a fact twice
            # (docs/reporting-grammar.md); the user changes the values, not the rule.
            periods = grammar.get("period_types") or []
            period = "fiscal_quarter" if "fiscal_quarter" in periods else periods[0]
            # The whole-book rows (segment_type all), unless the mart's semantic measures leave roll-up rows out:
            # then its first segment type, whose rows the measures add up to the whole book.
            segments = [s for s in grammar.get("segment_types") or ["all"] if s != "all"] or ["all"]
            segment = segments[0] if name in base_rows_only else "all"
            filters = [f'{name}.period_type: "{period}"', f'{name}.segment_type: "{segment}"']
            breakdowns = grammar.get("breakdowns") or []
            if breakdowns:
                filters.append(f'{name}.breakdown: "{"all" if "all" in breakdowns else breakdowns[0]}"')
            lines.append("  always_filter: {")
            lines.append(f"    filters: [{', '.join(filters)}]")
            lines.append("  }")
        lines.append("}")
        lines.append("")
    return "\n".join(lines)


def write_lookml(out: Path, target_path: Path, connection: str = "renewal_warehouse",
                 schema: str = "marts") -> list[Path]:
    manifest, semantic = _load(target_path)
    if not marts_of(manifest):
        raise LookmlError(f"{target_path / 'manifest.json'} holds no mart: run `dbt parse` in the project")
    out = Path(out)
    (out / "views").mkdir(parents=True, exist_ok=True)
    for old in (out / "views").glob("*.view.lkml"):
        old.unlink()
    written = []
    for view in build_views(manifest, semantic, schema):
        path = out / "views" / f"{view.name}.view.lkml"
        path.write_text("\n".join(view.lines) + "\n")
        written.append(path)
    model = out / "renewal_warehouse.model.lkml"
    model.write_text(build_model(manifest, connection, semantic))
    written.append(model)
    return written
