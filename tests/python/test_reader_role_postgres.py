"""The marts' reader role on PostgreSQL (issue 11): the build creates it and grants it the marts at every
publication; a person or BI tool logging in as a member of it reads every mart and nothing else, and writes
nothing. Runs inside `make test-postgres` (marker `postgres`), after the published build."""

from __future__ import annotations

import dataclasses

import psycopg2
import pytest
from psycopg2 import errors

from renewal_warehouse.pipeline import build as rb
from renewal_warehouse.pipeline.loader import PostgresSettings

pytestmark = pytest.mark.postgres

ANALYST = "rwh_test_analyst"


@pytest.fixture(scope="module")
def analyst():
    """A login role that is a member of the reader role, as a Metabase or Looker user would be."""
    settings = PostgresSettings.from_env()
    admin = settings.connect()
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"drop role if exists {ANALYST}")
        cur.execute(f"create role {ANALYST} login password 'analyst' in role {settings.reader_role}")
    con = psycopg2.connect(host=settings.host, port=settings.port, user=ANALYST, password="analyst",
                           dbname=settings.database)
    con.autocommit = True
    yield settings, con
    con.close()
    with admin.cursor() as cur:
        cur.execute(f"drop role if exists {ANALYST}")
    admin.close()


def _denied(con, sql: str) -> bool:
    try:
        with con.cursor() as cur:
            cur.execute(sql)
    except errors.InsufficientPrivilege:
        return True
    return False


def _tables(settings, schemas: tuple[str, ...]) -> list[tuple[str, str]]:
    con = settings.connect()
    try:
        with con.cursor() as cur:
            cur.execute("select table_schema, table_name from information_schema.tables where table_schema = any(%s) "
                        "order by 1, 2", (list(schemas),))
            return cur.fetchall()
    finally:
        con.close()


def test_the_reader_role_is_a_group_without_login(analyst):
    settings, con = analyst
    with con.cursor() as cur:
        cur.execute("select rolcanlogin, rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = %s",
                    (settings.reader_role,))
        assert cur.fetchone() == (False, False, False, False)


def test_a_member_reads_every_mart(analyst):
    settings, con = analyst
    marts = _tables(settings, ("marts",))
    assert len(marts) >= 15
    with con.cursor() as cur:
        for schema, table in marts:
            cur.execute(f'select count(*) from "{schema}"."{table}"')
            assert cur.fetchone()[0] > 0, table
        # and the record of the build that published them (the dashboards name it)
        cur.execute("select count(*) from meta.published_build")
        assert cur.fetchone()[0] == 1


def test_a_member_reads_nothing_else(analyst):
    settings, con = analyst
    others = _tables(settings, ("staging", "intermediate", "reference", f"{settings.raw_schema_prefix}billing",
                                f"{settings.raw_schema_prefix}crm"))
    schemas = {s for s, _ in others}
    assert {"staging", "intermediate", "reference", "raw_billing", "raw_crm"} <= schemas
    for schema, table in others:
        assert _denied(con, f'select 1 from "{schema}"."{table}" limit 1'), f"{schema}.{table} is readable"
    # the quarantine, and the plaintext emails of the raw CRM
    assert _denied(con, "select count(*) from staging.quarantined_rows")
    assert _denied(con, "select email from raw_crm.users limit 1")


def test_a_member_writes_nothing(analyst):
    _, con = analyst
    assert _denied(con, "delete from marts.retention")
    assert _denied(con, "insert into marts.retention (retention_id) values ('x')")
    assert _denied(con, "update marts.renewals set expiring_arr = 0")
    assert _denied(con, "drop table marts.renewals")
    assert _denied(con, "create table marts.mine (x int)")
    assert _denied(con, "create table public.mine (x int)")


def test_a_bad_role_name_is_refused_before_building():
    settings = dataclasses.replace(PostgresSettings.from_env(), reader_role="BI; drop table x")
    result = rb.build_postgres(settings, [], quiet=True, progress=lambda _m: None)
    assert not result.ok
    assert "is not a plain PostgreSQL role name" in result.problems[0]
    assert result.message == "nothing was built"
