# Fieldbook: `make run` to try it, `make test` to test it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist); TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= 2
# Links printed or shown by `make run` follow the server's address, unless
# FIELDBOOK_SITE_URL is given (environment or `make run FIELDBOOK_SITE_URL=…`).
SITE_HOST = $(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(if $(filter ::,$(HOST)),[::1],$(HOST)))
FIELDBOOK_SITE_URL ?= http://$(SITE_HOST):$(PORT)

.PHONY: run serve test lint format install install-dev demo bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

.env:
	cp .env.example .env

## Install, migrate, load demo data into an empty database, serve on SQLite.
run: export FIELDBOOK_SITE_URL := $(FIELDBOOK_SITE_URL)
run: install .env
	DATABASE_URL= $(PY) manage.py migrate --noinput
	@if DATABASE_URL= $(PY) manage.py shell -c "from account.models import User; import sys; sys.exit(0 if User.objects.exists() else 1)"; then \
		echo "Database has data; skipping demo data (run 'make demo' to refresh it)."; \
	else \
		DATABASE_URL= $(PY) manage.py seed_demo --password demo12345; \
	fi
	@echo "Fieldbook on $(FIELDBOOK_SITE_URL)/ (demo sign-in: demo / demo12345)"
	DATABASE_URL= $(PY) manage.py runserver $(HOST):$(PORT)

## The production stack locally: gunicorn (2 workers) and a db_worker on PostgreSQL
## (DATABASE_URL), DJANGO_DEBUG=0, collectstatic and migrate first. Ctrl-C stops both.
serve: install
	$(PY) -m config.serve --host $(HOST) --port $(PORT) $(SERVE_ARGS)

demo: install .env
	$(PY) manage.py seed_demo

## Run the whole test suite (SQLite unless DATABASE_URL is set).
test: install-dev
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

## Load benchmark: gunicorn + wrk on a large and a small data set (see README, "make bench").
bench: install-dev
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk (Debian package)"; \
		$$([ "$$(id -u)" -eq 0 ] || echo sudo) sh -c 'apt-get update -qq && apt-get install -y -qq wrk'; }
	$(PY) -m bench.run

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) staticfiles .test-media
