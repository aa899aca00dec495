# Tesc Force: `make run` serves the platform on http://127.0.0.1:8000, `make test` runs the test suite.
# Both create .venv with the machine's python3 (3.11 or newer) and install the project into it.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEMO_STAMP := var/.demo-seeded
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run up test worker beat lint bench bench-load install

run: $(STAMP)
	@mkdir -p var
	@# A stamp without its database is stale (the SQLite file was deleted): seed again.
	@if [ -z "$$DATABASE_URL" ] && [ ! -f var/db.sqlite3 ]; then rm -f $(DEMO_STAMP); fi
	$(PY) manage.py migrate --noinput
	@if [ ! -f $(DEMO_STAMP) ]; then $(PY) manage.py seed_demo && touch $(DEMO_STAMP); fi
	@# Django's own switch for its "development server" banner: make run is the embedded default, by design.
	PORT=$(PORT) DJANGO_RUNSERVER_HIDE_WARNING=true $(PY) manage.py runserver $(HOST):$(PORT)

# The full stack: PostgreSQL and Redis (started if installed), migrations, then web + worker + beat.
up: $(STAMP)
	bash scripts/up.sh

test: $(STAMP)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

worker: $(STAMP)
	@test -n "$$REDIS_URL" || { echo "make worker needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make worker"; exit 2; }
	$(VENV)/bin/celery -A tescforce worker --beat --loglevel INFO

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench-load: $(STAMP)
	$(PY) bench/load_data.py

bench: bench-load
	$(PY) bench/run.py

install: $(STAMP)

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)
