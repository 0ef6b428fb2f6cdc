# gqlnews — the README's commands. Needs only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.sqlite3
PYTEST_ARGS ?=
# Test processes (pytest-xdist); each has its own database. 1 runs everything in one process.
PYTEST_WORKERS ?= 2

.PHONY: demo site test lint lint-imports typecheck schema schema-check pytest pytest-postgres install-check bench bench-import bench-feeds bench-cache clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# What the demo turns on that production leaves off: GraphiQL (served from the package), and
# CORS for the example site's origin (make site).
API_PORT ?= 8000
SITE_PORT ?= 8080
DEMO_ENV ?= GQLNEWS_GRAPHIQL=true \
	GQLNEWS_CORS_ORIGINS=http://127.0.0.1:$(SITE_PORT),http://localhost:$(SITE_PORT)

## demo: set up, load the demo newsroom into SQLite, serve on http://127.0.0.1:8000/graphql
## (GraphiQL on, for a browser)
demo: $(STAMP)
	$(BIN)/gqlnews --database-url sqlite://$(DEMO_DB) demo --fresh
	$(DEMO_ENV) $(BIN)/gqlnews --database-url sqlite://$(DEMO_DB) serve --port $(API_PORT)

## site: the demo (as make demo) and the example newspaper site on http://127.0.0.1:8080
## (examples/site/README.md); Ctrl-C stops both
site: $(STAMP)
	$(BIN)/gqlnews --database-url sqlite://$(DEMO_DB) demo --fresh
	$(DEMO_ENV) $(BIN)/gqlnews --database-url sqlite://$(DEMO_DB) serve --port $(API_PORT) & \
	api=$$!; trap 'kill $$api 2>/dev/null; wait $$api' EXIT INT TERM; \
	$(BIN)/python examples/site/serve.py --port $(SITE_PORT) \
		--api http://127.0.0.1:$(API_PORT)/graphql

## test: set up, then lint, type-check, check the schema, run every test and the install check
test: $(STAMP) lint typecheck schema-check pytest pytest-postgres install-check

lint: $(STAMP) lint-imports
	$(BIN)/ruff check src tests plugins bench examples
	$(BIN)/ruff format --check src tests plugins bench examples

## lint-imports: the import contracts of .importlinter: plugins (the built-ins, the template)
## import only gqlnews.api from gqlnews; the core's layers point one way, with no cycles
lint-imports: $(STAMP)
	PYTHONPATH=examples/plugin-template/src $(BIN)/lint-imports .importlinter --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

schema-check: $(STAMP)
	$(BIN)/gqlnews schema check schema/schema.graphql

## schema: re-export the committed SDL after a reviewed schema change
schema: $(STAMP)
	$(BIN)/gqlnews schema export -o schema/schema.graphql

# The suite on the database GQLNEWS_TEST_DATABASE_URL names (empty: SQLite). Tests marked
# `alone` (latency bars that hold on an otherwise idle machine) run after the others, in one
# process with nothing beside them; 5 is pytest's "no test selected".
SUITE = $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not alone" $(PYTEST_ARGS) && \
	{ $(BIN)/pytest -m alone $(PYTEST_ARGS) || [ $$? -eq 5 ]; }

pytest: $(STAMP)
	export GQLNEWS_TEST_DATABASE_URL=; $(SUITE)

# Runs the same suite on PostgreSQL when GQLNEWS_TEST_POSTGRES_URL is set (CI sets it).
pytest-postgres: $(STAMP)
	@if [ -n "$$GQLNEWS_TEST_POSTGRES_URL" ]; then \
		echo "== the suite on PostgreSQL"; \
		export GQLNEWS_TEST_DATABASE_URL="$$GQLNEWS_TEST_POSTGRES_URL"; $(SUITE); \
	else \
		echo "== PostgreSQL run skipped: set GQLNEWS_TEST_POSTGRES_URL to run it"; \
	fi

## install-check: build the wheel, install it with no extras into a fresh virtual environment and
## run the admin's commands there (migrate, import, related index, serve...): .ci/install-check
install-check: $(STAMP)
	$(BIN)/python .ci/install-check

bench: $(STAMP)
	$(BIN)/python bench/run.py

## bench-import: articles/s importing the 10k archive into SQLite and PostgreSQL
bench-import: $(STAMP)
	$(BIN)/python bench/import_rate.py

## bench-feeds: feeds and sitemaps on the 10k archive (req/s, SQL statements), then its sitemaps checked
bench-feeds: $(STAMP)
	$(BIN)/python bench/feeds.py
	$(BIN)/python bench/sitemap_archive.py

## bench-cache: cached pages against uncached and static ones (~10 min), then the cost of a purge
## with 10,000 cached answers on the 10k archive, SQLite and PostgreSQL + Redis (~13 min)
bench-cache: $(STAMP)
	$(BIN)/python bench/cache.py
	$(BIN)/python bench/cache_purge.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache $(DEMO_DB)
