"""Every mart is a contract: enforced in dbt, typed in YAML, built with exactly those columns and types, and
documented in the database (docs/reporting-grammar.md). PostgreSQL's side is in test_postgres_warehouse.py."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

# The types a mart column may have: exact money and rates, 64-bit counts, no HUGEINT, DOUBLE or INTEGER.
ALLOWED = re.compile(r"^(varchar|date|boolean|bigint|decimal\(\d+, ?\d+\))$")


@pytest.fixture(scope="module")
def marts(demo_warehouse) -> dict[str, dict]:
    manifest = json.loads((demo_warehouse["work"] / "target" / "manifest.json").read_text())
    nodes = {n["name"]: n for n in manifest["nodes"].values()
             if n["resource_type"] == "model" and n["original_file_path"].startswith("models/marts/")}
    assert len(nodes) >= 15
    return nodes


def test_every_mart_has_an_enforced_contract_with_typed_columns(marts):
    for name, node in marts.items():
        assert node["config"]["contract"]["enforced"], f"{name}: contract not enforced"
        assert node["columns"], f"{name}: no columns declared"
        for column in node["columns"].values():
            assert column["data_type"], f"{name}.{column['name']}: no data_type"
            assert ALLOWED.match(column["data_type"]), f"{name}.{column['name']}: {column['data_type']}"
            assert column["description"], f"{name}.{column['name']}: no description"


def test_the_built_marts_have_the_contracted_columns_and_types(marts, demo_warehouse):
    con = duckdb.connect(str(demo_warehouse["db"]), read_only=True)
    try:
        for name, node in marts.items():
            built = con.execute("select column_name, data_type from information_schema.columns "
                                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                                [name]).fetchall()
            declared = [(c["name"], c["data_type"].replace(" ", "").upper())
                        for c in node["columns"].values()]
            assert [(n, t.replace(" ", "")) for n, t in built] == declared, name
        hugeint = con.execute("select count(*) from information_schema.columns where table_schema = 'marts' "
                              "and data_type in ('HUGEINT', 'DOUBLE', 'FLOAT', 'INTEGER')").fetchall()[0][0]
        assert hugeint == 0
    finally:
        con.close()


def test_the_marts_carry_their_descriptions_in_the_database(marts, demo_warehouse):
    """persist_docs: SQL clients and BI tools (Metabase reads comments) see the YAML descriptions."""
    con = duckdb.connect(str(demo_warehouse["db"]), read_only=True)
    try:
        tables = dict(con.execute("select table_name, comment from duckdb_tables() where schema_name = 'marts'")
                      .fetchall())
        columns = {(t, c): comment for t, c, comment in con.execute(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'").fetchall()}
        for name, node in marts.items():
            assert tables[name] == node["description"], name
            for column in node["columns"].values():
                assert columns[(name, column["name"])] == column["description"], (name, column["name"])
    finally:
        con.close()
