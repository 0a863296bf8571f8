# SafeSpace: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format install clean bench

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The demo turns the second factor off (MFA_REQUIRED_FOR empty): its accounts sign in with
# email and password alone. Everyone may still add one on their account page.
DEMO_ENV := DEBUG=true MFA_REQUIRED_FOR=

run: $(STAMP)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py demo_data
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks print figures; they never fail on timing. PostgreSQL runs too when reachable.
bench: $(STAMP)
	$(PY) -m bench.run
	@if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then \
		BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/safespace_bench $(PY) -m bench.run; \
	else echo "PostgreSQL is not reachable on 127.0.0.1:5432: skipped its run."; fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
