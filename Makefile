# Renewal & retention warehouse. Quick start: `make build`, then `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

UV_VERSION    := 0.13.9
UV            := $(CURDIR)/.tools/bin/uv
RUN           := $(UV) run --frozen --python 3.11
RAW_DIR       ?= data/raw
WAREHOUSE     ?= target/warehouse.duckdb
TEST_RAW_DIR  := target/test-raw
TEST_DB       := target/test-warehouse.duckdb

export RWH_RAW_DIR := $(abspath $(RAW_DIR))
# RAW_DIR is the demo's data/raw however it is spelled (./data/raw, an absolute path, a symlink to it).
resolved       = $(or $(realpath $(1)),$(abspath $(1)))
IS_DEMO_RAW   := $(if $(filter $(call resolved,data/raw),$(call resolved,$(RAW_DIR))),true,false)
# The generated demo and the test extracts are synthetic: their personal data may be hashed without a salt.
# A real extract (RAW_DIR=...) needs RWH_PII_SALT.
export RWH_DEMO ?= $(IS_DEMO_RAW)

.PHONY: help setup data gate build test lint test-duckdb test-postgres test-spark test-python docs dashboards bench sources clean

help:  ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(UV):
	@echo "==> installing uv $(UV_VERSION) into .tools/"
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: pyproject.toml uv.lock | $(UV)
	@echo "==> creating the Python environment (uv sync --frozen)"
	$(UV) sync --frozen --python 3.11
	@touch $@

# A DuckDB 1.x client beside the project's 2.0, for the test that 1.x clients open the published warehouse.
DUCKDB1_VERSION := 1.5.6
.tools/duckdb1/.installed: | $(UV)
	@echo "==> a DuckDB $(DUCKDB1_VERSION) client in .tools/duckdb1 (what analysts' 1.x clients read)"
	$(UV) venv --quiet --python 3.11 .tools/duckdb1
	$(UV) pip install --quiet --python .tools/duckdb1/bin/python "duckdb==$(DUCKDB1_VERSION)"
	@touch $@

setup: .venv/.synced .tools/duckdb1/.installed  ## create the pinned Python environment (and a DuckDB 1.x client for the tests)

# Only the demo's directory is ever generated into. Any other RAW_DIR must hold an extract
# (<system>/<table>.parquet); without a _manifest.json declaring its snapshot time, the gate measures
# freshness against the clock.
ifeq ($(IS_DEMO_RAW),true)
$(RAW_DIR)/_manifest.json: | .venv/.synced
	@echo "==> generating the demo extract into $(RAW_DIR)"
	$(RUN) rwh generate --out $(RAW_DIR)

data: $(RAW_DIR)/_manifest.json  ## generate the demo raw extract (Parquet) if missing; any other RAW_DIR must hold one
else
data:
	@test -d '$(RAW_DIR)' || { echo "make data: RAW_DIR=$(RAW_DIR) does not exist: point RAW_DIR at your Parquet extract ($(RAW_DIR)/<system>/<table>.parquet, docs/real-data.md), or leave RAW_DIR unset for the demo in data/raw"; exit 1; }
	@compgen -G '$(RAW_DIR)/*/*.parquet' > /dev/null || { echo "make data: RAW_DIR=$(RAW_DIR) holds no extract (no $(RAW_DIR)/<system>/<table>.parquet files): write your Parquet extract there (docs/real-data.md), or leave RAW_DIR unset for the demo in data/raw"; exit 1; }
	@test -f '$(RAW_DIR)/_manifest.json' || echo "make data: note: no $(RAW_DIR)/_manifest.json declares the extract's snapshot time (extracted_at), so the gate measures freshness against the clock"
endif

gate: data  ## validate the raw extract with Great Expectations
	$(RUN) rwh gate --engine duckdb --raw-dir $(RAW_DIR) --baseline $(basename $(WAREHOUSE)).gate-baseline.json

build: data  ## set everything up and build the warehouse on DuckDB (published only if every test passed)
	@echo "==> gate, dbt build and publish on DuckDB"
	$(RUN) rwh build --raw-dir $(RAW_DIR) --warehouse $(WAREHOUSE)
	@echo
	@echo "Warehouse built and published: $(abspath $(WAREHOUSE))"
	@echo "Query it from Python (or any DuckDB client; a build never locks it or changes it under you):"
	@echo "  .venv/bin/python -c \"import duckdb; print(duckdb.connect('$(WAREHOUSE)', read_only=True).sql('select source_table, quarantine_reason, count(*) from staging.quarantined_rows group by all'))\""
	@echo "Raw extract: $(abspath $(RAW_DIR)); quarantine: staging.quarantined_rows; reference seeds: schema reference."

test: setup  ## the full test suite: DuckDB build, lint, PostgreSQL build, pytest, Spark build
	$(MAKE) --no-print-directory test-duckdb
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-python REUSE_TEST_WAREHOUSE=1
	$(MAKE) --no-print-directory test-spark

$(TEST_RAW_DIR)/_manifest.json: | .venv/.synced
	$(RUN) rwh generate --out $(TEST_RAW_DIR) --quiet

test-duckdb: $(TEST_RAW_DIR)/_manifest.json  ## gate + dbt build (unit, data, conservation tests) + publish on DuckDB
	@echo "==> gate, dbt build and publish on DuckDB"
	RWH_DEMO=true $(RUN) rwh build --raw-dir $(TEST_RAW_DIR) --warehouse $(TEST_DB)

# The PostgreSQL tests run on PYTEST_WORKERS processes too, grouped (xdist_group): the modules that read or rebuild
# the main database's published warehouse on one worker, in order; each module with databases of its own beside them.
test-postgres: $(TEST_RAW_DIR)/_manifest.json  ## load, gate, dbt build + publish on a throw-away PostgreSQL server
	@echo "==> load, gate, dbt build and publish on PostgreSQL"
	scripts/with-postgres.sh bash -c '\
	    $(RUN) rwh load-postgres --raw-dir $(TEST_RAW_DIR) --quiet && \
	    RWH_DEMO=true $(RUN) rwh build --target postgres --manifest $(TEST_RAW_DIR)/_manifest.json && \
	    RWH_DEMO=true RWH_TEST_RAW_DIR=$(abspath $(TEST_RAW_DIR)) RWH_TEST_DUCKDB=$(abspath $(TEST_DB)) \
	        scripts/pytest-postgres.sh $(RUN)'

lint: setup  ## ruff, source YAML in sync with the contract, sqlfluff (dbt templater; macros: jinja templater), dbt-score >= 9.5; needs no built warehouse
	@echo "==> lint"
	$(RUN) ruff check src tests/python
	$(RUN) rwh sources --check
	@# The dbt templater compiles the models; nothing reads a warehouse at compile time (staged columns are
	@# written out, row hashes read the source YAML), so an empty throw-away DuckDB file is all it connects to.
	mkdir -p target/lint && rm -f target/lint/lint.duckdb
	RWH_DEMO=true RWH_RAW_DIR=$(abspath $(TEST_RAW_DIR)) RWH_DUCKDB_PATH=$(abspath target/lint/lint.duckdb) \
	    $(RUN) sqlfluff lint --processes 2 models tests/dbt/singular analyses
	@# The vendor adapters (models/staging/<system>/<vendor>/) exist only under RWH_SOURCE_FORMATS: they are linted
	@# compiled against a tiny extract in their vendors' shapes (one adapter reads a column list at compile time).
	rm -rf target/lint/vendor-raw
	$(RUN) rwh generate --out target/lint/vendor-raw --accounts 10 --years 1 \
	    --format billing=stripe,crm=salesforce,support=zendesk,product=segment --quiet
	RWH_SOURCE_FORMATS=billing=stripe,crm=salesforce,support=zendesk,product=segment RWH_DEMO=true \
	    RWH_RAW_DIR=$(abspath target/lint/vendor-raw) RWH_DUCKDB_PATH=$(abspath target/lint/lint.duckdb) \
	    $(RUN) sqlfluff lint --processes 2 \
	    models/staging/billing/stripe models/staging/crm/salesforce models/staging/support/zendesk \
	    models/staging/product/segment \
	    tests/dbt/singular/assert_vendor_rows_are_all_in_the_ledger.sql
	@# HubSpot is the other CRM: its own tiny extract
	rm -rf target/lint/hubspot-raw
	$(RUN) rwh generate --out target/lint/hubspot-raw --accounts 10 --years 1 --format crm=hubspot --quiet
	RWH_SOURCE_FORMATS=crm=hubspot RWH_DEMO=true \
	    RWH_RAW_DIR=$(abspath target/lint/hubspot-raw) RWH_DUCKDB_PATH=$(abspath target/lint/lint.duckdb) \
	    $(RUN) sqlfluff lint --processes 2 models/staging/crm/hubspot
	@# macros and generic tests: the dbt templater skips a macro file ("because it is a macro"), so they get the
	@# jinja templater, whose template variants render each macro's body and lint it (line length included). Not
	@# LT02: a body is a fragment spliced in at its caller's indentation, which the dbt pass above checks in the
	@# compiled models.
	$(RUN) sqlfluff lint --processes 2 --templater jinja \
	    --exclude-rules ambiguous.column_count,structure.column_order,layout.indent macros tests/dbt/generic
	@# dbt-score (descriptions, owners, tests, macro docs of every model, seed and macro) on the parsed project:
	@# below 9.5 it fails.
	RWH_DEMO=true RWH_RAW_DIR=$(abspath $(TEST_RAW_DIR)) RWH_DUCKDB_PATH=$(abspath target/lint/lint.duckdb) \
	    $(RUN) dbt parse --quiet --target-path $(abspath target/lint/target)
	$(RUN) dbt-score lint -m target/lint/target/manifest.json --show failing-items --fail-project-under 9.5

SPARK_DIR := target/spark
test-spark: $(TEST_RAW_DIR)/_manifest.json  ## gate, build and publish on a local Spark, marts compared with DuckDB's (needs test-duckdb; docs/spark.md)
	@test -f $(TEST_DB) || { echo "no DuckDB test warehouse at $(TEST_DB): run make test-duckdb first"; exit 1; }
	@echo "==> gate, dbt build and publish on Spark; marts compared with DuckDB, incremental runs with a full build"
	rm -rf $(SPARK_DIR)
	RWH_DEMO=true RWH_SPARK_WAREHOUSE_DIR=$(abspath $(SPARK_DIR))/warehouse \
	    $(RUN) rwh build --target spark --raw-dir $(TEST_RAW_DIR)
	RWH_DEMO=true RWH_SPARK_WAREHOUSE_DIR=$(abspath $(SPARK_DIR))/warehouse RWH_TEST_DUCKDB=$(abspath $(TEST_DB)) \
	    RWH_TEST_RAW_DIR=$(abspath $(TEST_RAW_DIR)) $(RUN) pytest -m spark

# Inside `make test`, the demo-sized warehouse test-duckdb just published is reused by the pytest fixtures
# rather than built again (tests/python/conftest.py); `make test-python` alone builds its own.
# The files run on PYTEST_WORKERS processes (pytest-xdist; a file's tests stay together on one, so its module
# fixtures are built once); PYTEST_WORKERS=0 runs them in this process.
REUSE_TEST_WAREHOUSE ?= 0
PYTEST_WORKERS ?= 2
test-python:  ## pytest for the Python package on PYTEST_WORKERS processes (installs headless Chromium for the docs-site test when missing)
	@scripts/ensure-chromium.sh
	@echo "==> pytest"
	RWH_DEMO=true RWH_REUSE_TEST_WAREHOUSE=$(REUSE_TEST_WAREHOUSE) RWH_TEST_DUCKDB=$(abspath $(TEST_DB)) \
	    RWH_TEST_RAW_DIR=$(abspath $(TEST_RAW_DIR)) $(RUN) pytest -n $(PYTEST_WORKERS) --dist loadfile

docs: setup  ## the dbt docs site of the published warehouse as one static page: target/static_index.html
	@test -f $(WAREHOUSE) || { echo "no published warehouse at $(WAREHOUSE): run make build first"; exit 1; }
	@# dbt reads the catalog from a copy: the published file is never opened for writing.
	mkdir -p target/docs && cp $(WAREHOUSE) target/docs/warehouse.duckdb
	@# --no-compile: the catalog and the YAML make the site; compiling would query the incremental models.
	RWH_DUCKDB_PATH=$(abspath target/docs/warehouse.duckdb) $(RUN) dbt docs generate --static --no-compile --quiet
	@echo "Docs site: $(abspath target/static_index.html) (open it in any browser, offline)"

dashboards: setup  ## the dashboards of docs/metrics.md section 9 from the published warehouse: target/dashboards/index.html
	@test -f $(WAREHOUSE) || { echo "no published warehouse at $(WAREHOUSE): run make build first"; exit 1; }
	$(RUN) rwh dashboards --warehouse $(WAREHOUSE) --out target/dashboards

BENCH_TIERS ?= S,M,L
BENCH_SPARK_TIERS ?= M
bench: setup  ## benchmark tiers S, M, L (1k, 10k, 100k accounts x 5 years; BENCH_TIERS=S,M for some), and M on Spark (BENCH_SPARK_TIERS): docs/bench/
	$(RUN) python -m renewal_warehouse.devtools.bench --tiers $(BENCH_TIERS) --spark-tiers $(BENCH_SPARK_TIERS) --out target/bench --report-dir docs/bench

sources:  ## regenerate the source YAML from src/renewal_warehouse/pipeline/contract.py
	$(RUN) rwh sources

clean:  ## remove build output and generated data (keeps the environment)
	rm -rf target logs data
