#!/usr/bin/env bash
# pytest -m postgres as two processes side by side (make test-postgres): the modules with databases of their own on
# the server (OWN below), and all the others, which read or rebuild the main database's published warehouse and so
# run in order in one process. A new PostgreSQL test module joins the second group unless it is listed here.
# (pytest-xdist's loadgroup would do this, but does not group under pytest 9.) Usage: pytest-postgres.sh <runner...>,
# e.g. scripts/pytest-postgres.sh uv run; each process writes dbt's artifacts and its temporary files under target/
# of its own; the first group's output follows the second's.
set -u
OWN=(tests/python/test_bad_inputs_postgres.py tests/python/test_incremental_postgres.py
     tests/python/test_vendors_postgres.py)
ignores=()
for f in "${OWN[@]}"; do ignores+=(--ignore "$f"); done
mkdir -p target
log=target/pytest-postgres-own.log
env RWH_TARGET_PATH="$PWD/target/pytest-pg-own" "$@" pytest -m postgres --basetemp target/pytest-pg-own-tmp \
    "${OWN[@]}" > "$log" 2>&1 &
own=$!
echo "==> pytest -m postgres: the main database's modules here; ${OWN[*]} beside them (output below)"
env RWH_TARGET_PATH="$PWD/target/pytest-pg-main" "$@" pytest -m postgres --basetemp target/pytest-pg-main-tmp \
    "${ignores[@]}"
main_rc=$?
wait "$own"
own_rc=$?
echo "==> pytest -m postgres: the modules with databases of their own"
cat "$log"
if [ "$main_rc" -ne 0 ] || [ "$own_rc" -ne 0 ]; then
    echo "pytest -m postgres failed (main database's modules: exit $main_rc; the others: exit $own_rc)"
    exit 1
fi
