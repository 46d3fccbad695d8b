# Thriving Workplaces — `make run` serves the demo, `make test` runs every test.
# Both bootstrap everything they need from a clean clone: no setup by hand.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
# Django 6.1 needs Python 3.12+: use the first one found on PATH or under pyenv.
PYTHON_BOOTSTRAP := $(shell bin/find-python)

.PHONY: run test lint format bench install messages migrate clean

$(VENV)/.installed: pyproject.toml uv.lock
	@test -n "$(PYTHON_BOOTSTRAP)" || { echo "Python 3.12 or newer is required (none found on PATH or under pyenv)." >&2; exit 1; }
	@test -x $(PY) || $(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --frozen --inexact --python $(PY) --quiet
	@touch $@

install: $(VENV)/.installed

messages: install
	@command -v msgfmt >/dev/null || { echo "msgfmt (GNU gettext) is needed to compile the French catalogue: apt-get install gettext" >&2; exit 1; }
	$(PY) manage.py compilemessages --ignore=.venv -v 0

migrate: messages
	$(PY) manage.py migrate --no-input -v 0

run: migrate
	$(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000 — sign in as seeker@example.org / thriving-demo (see README)."
	$(PY) manage.py runserver 127.0.0.1:8000

# Two test processes (pytest-xdist), one per core of the CI machine: the browser journeys
# dominate the run and spend much of their time waiting on the live server and Chromium.
TEST_WORKERS ?= 2
test: messages
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Benchmarks (docs/performance.md): reports (docs/reports.md), matching (docs/matching.md),
# then, on PostgreSQL, the dashboard (docs/outcomes.md) and the load test on seed_scale's
# data; one summary table at the end. Worker and load-test figures need REDIS_URL and
# DATABASE_URL=postgres://... ; on SQLite only the first two run.
LOADTEST_ARGS ?= --users 20 --duration 60
bench: migrate
	@rm -rf var/bench
	-$(PY) manage.py bench_reports
	-$(PY) manage.py bench_matching
	-@if [[ "$$DATABASE_URL" == postgres* ]]; then \
		$(PY) manage.py bench_dashboard --repeat 3; \
		$(PY) manage.py seed_scale && $(PY) manage.py loadtest $(LOADTEST_ARGS); \
	else \
		echo "bench_dashboard, seed_scale and the load test need PostgreSQL (DATABASE_URL): skipped."; \
	fi
	$(PY) manage.py bench_summary

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles

# Re-extract every catalogue: the project's (base templates, accounts, factors) and one per audience app.
APP_CATALOGUES := seekers employers practitioners reports outcomes matches
makemessages: install
	$(PY) manage.py makemessages -l fr --no-obsolete --ignore=.venv --ignore=tests $(foreach a,$(APP_CATALOGUES),--ignore=$(a))
	$(foreach a,$(APP_CATALOGUES),(cd $(a) && ../$(PY) ../manage.py makemessages -l fr --no-obsolete) &&) true
