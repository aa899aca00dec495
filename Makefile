# Tesc Force: `make run` serves the platform on http://127.0.0.1:8000, `make test` runs the test suite.
# Both create .venv with the machine's python3 (3.11 or newer) and install into it the exact versions of
# the lock file requirements/dev.txt (hashes checked, with uv), then the project itself; `make lock` rewrites
# the lock.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEMO_STAMP := var/.demo-seeded
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# pytest-xdist processes for make test (0: one process). Tests that use the real Redis share one of them.
TEST_WORKERS ?= 2
LOCK := requirements/dev.txt
# uv itself, pinned with its hashes at the lock's version: it installs the lock in seconds where pip takes half a minute.
INSTALLER := requirements/uv.txt
UV ?= $(VENV)/bin/uv
UV_COMPILE = $(UV) pip compile pyproject.toml --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade)

.PHONY: run up test worker beat lint bench bench-load install lock

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

# Compiled files are written even where PYTHONDONTWRITEBYTECODE is set: pytest keeps its rewritten test
# modules there and the suite's own subprocesses start from them (without them the suite took 40 % more CPU).
test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

worker: $(STAMP)
	@test -n "$$REDIS_URL" || { echo "make worker needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make worker"; exit 2; }
	$(VENV)/bin/celery -A tescforce worker --beat --loglevel INFO

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench-load: $(STAMP)
	$(PY) bench/load_data.py

bench: bench-load
	$(PY) bench/run.py

install: $(STAMP)

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the lock or pyproject.toml changed since the last install. The lock holds every
# dependency, the dev extra included; the project goes in editable, without resolving anything again.
$(STAMP): $(LOCK) $(INSTALLER) requirements/pip.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/pip.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(INSTALLER)
	$(UV) pip install --quiet --python $(PY) --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@$(PY) -m pip check >/dev/null || { $(PY) -m pip check; \
		echo "pyproject.toml asks for something $(LOCK) lacks: run make lock"; exit 1; }
	@touch $(STAMP)

# Rewrite the lock files from pyproject.toml, keeping every pin that still fits; `make lock UPGRADE=1`
# moves everything to the newest versions allowed. requirements/base.txt (production, no dev extra)
# and requirements/uv.txt (the installer) take the same versions as requirements/dev.txt.
lock: | $(PY)
	@test -x $(UV) || $(PY) -m pip install --quiet --disable-pip-version-check \
		"uv==$$(sed -n 's/^uv==\([^ ;]*\).*/\1/p' $(LOCK))"
	$(UV_COMPILE) --extra dev -o $(LOCK)
	$(UV_COMPILE) --constraint $(LOCK) -o requirements/base.txt
	echo uv | $(UV) pip compile - --quiet --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command 'make lock' --constraint $(LOCK) -o $(INSTALLER)
