"""The published DuckDB file opens in the DuckDB 1.x clients analysts have (issue 11): the profile writes it
with storage_compatibility_version v1.0.0, and a DuckDB 1.5.6 client (installed by `make setup` in an
environment of its own, .tools/duckdb1) reads every mart with the same rows as the project's DuckDB 2.0."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / ".tools" / "duckdb1" / "bin" / "python"

# Per mart: its row count and a fingerprint of its rows (an order-independent sum of row hashes).
READ = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
marts = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                   "where table_schema = 'marts' order by 1").fetchall()]
out = {"version": duckdb.__version__}
for t in marts:
    count, fingerprint = con.execute(f'select count(*), sum(hash(cast(m as varchar)) % 1000003) '
                                     f'from marts."{t}" as m').fetchall()[0]
    out[t] = [count, str(fingerprint)]
print(json.dumps(out))
"""


def test_a_duckdb_1x_client_reads_every_mart_of_the_published_file(demo_warehouse):
    assert CLIENT.exists(), "the DuckDB 1.x client is missing: run `make setup` (it installs .tools/duckdb1)"
    db = str(demo_warehouse["db"])
    old = subprocess.run([str(CLIENT), "-c", READ, db], capture_output=True, text=True)
    assert old.returncode == 0, old.stderr[-2000:]
    read_by_1x = json.loads(old.stdout)
    assert read_by_1x.pop("version").startswith("1.")
    con = duckdb.connect(db, read_only=True)
    try:
        version = con.execute("select library_version from pragma_version()").fetchall()[0][0]
        assert version.startswith("v2."), version
    finally:
        con.close()
    new = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", READ, db], capture_output=True, text=True)
    assert new.returncode == 0, new.stderr[-2000:]
    read_by_2 = json.loads(new.stdout)
    read_by_2.pop("version")
    assert len(read_by_1x) >= 15 and read_by_1x == read_by_2
