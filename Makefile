# Postdesk: `make run` starts it on a laptop, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/postdesk

.PHONY: run test test-sqlite test-postgres bench bench-web bench-ingest bench-pages bench-scale venv demo clean messages

$(BIN)/postdesk: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(BIN)/postdesk

venv: $(BIN)/postdesk

run: venv
	$(BIN)/postdesk demo
	$(BIN)/postdesk run

demo: venv
	$(BIN)/postdesk demo

# The whole suite on SQLite, then again on PostgreSQL. A missing service fails, never skips.
test: venv
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: venv
	POSTDESK_REQUIRE_SERVICES=1 $(BIN)/pytest

test-postgres: venv
	POSTDESK_REQUIRE_SERVICES=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest

# Benchmarks: figures for the closing notes, beside the django-helpdesk peer (bench/README.md).
bench: bench-web bench-ingest bench-pages bench-scale

bench-web: venv
	$(BIN)/python bench/run.py

bench-ingest: venv
	$(BIN)/python bench/ingest.py

# Queue and dashboard pages with 1 million generated cases on PostgreSQL (about 7 minutes).
bench-pages: venv
	$(BIN)/python bench/pages.py --generate

# Issue 7: 1 million cases and 5 million messages; pages, search, ingest and web-form rates
# beside an empty database (about 25 minutes; bench/README.md, "Scale").
bench-scale: venv
	$(BIN)/python bench/scale.py

messages: venv
	cd src/postdesk && ../../$(BIN)/postdesk makemessages -l de -l es --no-location && ../../$(BIN)/postdesk compilemessages

clean:
	rm -rf $(VENV) var
