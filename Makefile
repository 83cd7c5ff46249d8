# Vigie's two set-up commands are `make run` and `make test`; everything else is a step of them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
VIGIE := $(BIN)/vigie
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PG_URL ?= postgres://vigie:vigie@127.0.0.1:5432/vigie
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install install-dev runtime-deps system-deps postgres messages messages-update lint test test-sqlite test-postgres run demo bench bench-privacy bench-import bench-outreach clean

help:
	@echo "make run   - install, migrate, load demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test  - install test tools, lint, and run the whole suite on SQLite and PostgreSQL"
	@echo "make bench - benchmarks: demo data, case list, search, daily view, statistics releases (BENCH_CASES=1000000)"

$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e .
	touch $@

install: $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[dev]'
	touch $@

install-dev: $(DEV_STAMP)

# Debian packages Vigie needs to run: Pango and a font for WeasyPrint's PDF exports.
runtime-deps:
	@missing=""; \
	$$(command -v ldconfig || echo /sbin/ldconfig) -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	[ -d /usr/share/fonts/truetype/dejavu ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Debian packages the suite needs: Chromium for browser tests, PostgreSQL, gettext for catalogues.
system-deps: runtime-deps
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

postgres: system-deps
	@scripts/postgres-up.sh

messages: install
	cd vigie && ../$(VIGIE) compilemessages -v 0

# After changing UI strings: refresh the catalogues, then translate the new French entries.
messages-update: install
	cd vigie && ../$(VIGIE) makemessages -l fr -l en --no-location --no-obsolete -v 0 --ignore='*/tests/*' --ignore='tests_support/*'

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy vigie
	@# bandit warns about every line of a multi-line statement carrying a justified nosec: drop that noise only.
	$(BIN)/bandit -q -c pyproject.toml -r vigie 2> >(grep -v "nosec encountered" >&2)
	DJANGO_SETTINGS_MODULE=vigie.config.settings.test $(VIGIE) makemigrations --check --dry-run
	scripts/check-deploy.sh $(VIGIE)
	scripts/check-translations.sh $(BIN)

test-sqlite: install-dev messages
	$(BIN)/pytest -p no:cacheprovider

test-postgres: install-dev messages postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -p no:cacheprovider

# The two databases' suites run side by side (each prints its report when it ends): the suite
# is mostly CPU-bound in one process, and this halves the wall time on a two-core machine.
test: install-dev system-deps messages lint postgres
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

run: install runtime-deps messages
	mkdir -p var
	$(VIGIE) migrate --noinput -v 0
	$(VIGIE) collectstatic --noinput -v 0
	$(VIGIE) demo --if-empty --ads 300 --print-logins
	@echo "Serving Vigie on http://$(HOST):$(PORT) (Ctrl-C to stop)"
	@$(VIGIE) db_worker --queue-name default & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(BIN)/gunicorn vigie.config.wsgi:application --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile -

# Demo data generation, then the case list, search and daily view through the real views, on a
# fresh SQLite file and a fresh PostgreSQL database (see bench/run.py).
BENCH_CASES ?= 100000
BENCH_REQUESTS ?= 50
bench: install-dev postgres bench-privacy bench-import bench-outreach
	BENCH_CASES=$(BENCH_CASES) BENCH_REQUESTS=$(BENCH_REQUESTS) BENCH_POSTGRES_URL=$(PG_URL) $(BIN)/python bench/run.py

# Spreadsheet import: 100,000 fictional rows (CSV, then XLSX) into a fresh SQLite file through the
# import services; fails above 60 s, and checks that a file with one bad row writes nothing.
bench-import: install-dev
	$(BIN)/python bench/import_cases.py

# Digital outreach: clustering 1,000,000 synthetic ads with planted networks (shared phones,
# handles, photos, near-identical texts by MinHash LSH); prints pairwise precision and recall,
# fails over 10 minutes. BENCH_ADS=100000 for a quicker run.
BENCH_ADS ?= 1000000
bench-outreach: install-dev
	BENCH_ADS=$(BENCH_ADS) $(BIN)/python bench/outreach_clusters.py

# Statistics releases: Vigie's differential privacy against pac-synth and per-table Laplace, on the
# demo generator's files (see bench/dp_quality.py; it installs pac-synth, a benchmark-only
# dependency, into the venv). Fails when Vigie misses the quality target.
PACSYNTH_TIMEOUT ?= 900
bench-privacy: install-dev
	$(BIN)/python bench/dp_quality.py --cases $(BENCH_CASES) --pacsynth-timeout $(PACSYNTH_TIMEOUT)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
