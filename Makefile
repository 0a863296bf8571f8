# SafeSpace: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# What runs the app, and what tests it too: exact versions with their hashes, from the lock
# files (`make lock` writes them from pyproject.toml), so every machine installs the same.
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed

.PHONY: run test lint format install clean bench load lock drill audit

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUN_STAMP): requirements.lock pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(RUN_STAMP)

$(STAMP): requirements-dev.lock pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(RUN_STAMP) $(STAMP)

install: $(STAMP)

# Write the lock files again from pyproject.toml (newest versions allowed there).
lock:
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.13 -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.13 -o requirements-dev.lock

# The demo turns the second factor off (MFA_REQUIRED_FOR empty): its accounts sign in with
# email and password alone. Everyone may still add one on their account page.
DEMO_ENV := DEBUG=true MFA_REQUIRED_FOR=

run: $(RUN_STAMP)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py demo_data
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks print figures; they never fail on timing. Each size (groups in the organisation)
# on SQLite, then on PostgreSQL when it is reachable.
BENCH_SIZES ?= 500 5000
BENCH_PG ?= postgres://postgres@127.0.0.1:5432/safespace_bench
bench: $(STAMP)
	@for size in $(BENCH_SIZES); do \
		BENCH_GROUPS=$$size $(PY) -m bench.run || exit 1; \
		if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then \
			BENCH_GROUPS=$$size BENCH_DATABASE_URL=$(BENCH_PG) $(PY) -m bench.run || exit 1; \
		else echo "PostgreSQL is not reachable on 127.0.0.1:5432: skipped its run."; fi; \
	done

# Locust against gunicorn on 127.0.0.1, PostgreSQL only, 30 s a run (LOAD_SECONDS): figures only.
LOAD_PG ?= postgres://postgres@127.0.0.1:5432/safespace_load
load: $(STAMP)
	BENCH_DATABASE_URL=$(LOAD_PG) $(PY) -m bench.load

# Two app servers and a worker on the local PostgreSQL, which it restarts a third of the way
# through a scripted mix of people; then every acknowledged write and every email is checked
# (docs/deploy.md, "The drill"). Figures only on timing; exit 1 on anything lost.
drill: $(RUN_STAMP)
	$(PY) -m drill.run

# Known vulnerabilities in the locked versions (pip-audit), with what could not be checked.
audit: $(STAMP)
	$(PY) .ci/audit.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
