# hrms — two commands on a fresh clone:  make run   |   make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEMO_STAFF ?= 3000
HOST ?= 127.0.0.1
PORT ?= 8000
# Background workers started by `make run` / `make dev` (bulk exports are cut into parts that every
# worker renders): one per core unless told otherwise, e.g. `make run WORKERS=4`.
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
GUNICORN := $(BIN)/gunicorn --config hrms/gunicorn.conf.py

# Programs from Debian packages the tests use, as COMMAND:PACKAGE: Chromium for the browser
# tests, poppler-utils to read the PDFs back, gettext to check the translations.
SYSTEM_PACKAGES := chromium:chromium pdftotext:poppler-utils pdftoppm:poppler-utils \
	pdfimages:poppler-utils msgfmt:gettext

# Development defaults; production sets its own environment (see README). `make serve` is
# production unless told otherwise: it never serves in debug mode.
export DJANGO_DEBUG ?= 1
serve: export DJANGO_DEBUG := $(if $(filter environment% command%,$(origin DJANGO_DEBUG)),$(DJANGO_DEBUG),0)

.PHONY: install system-packages migrate demo static run dev serve test lint format messages \
	clean-db bench bench-load

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

install: $(VENV)/.installed

# Installs missing system packages when root or with passwordless sudo, else says how.
system-packages:
	@bin/system-packages $(SYSTEM_PACKAGES)

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_reference
	$(MANAGE) seed_demo --staff $(DEMO_STAFF)

static: install
	$(MANAGE) collectstatic --noinput --verbosity 0

# The demo: production settings over plain http on this machine (DJANGO_DEMO=1, see README),
# served by gunicorn with $(WORKERS) background workers (bulk exports) beside it; Ctrl-C stops all.
run: export DJANGO_DEMO := 1
run: system-packages static demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@workers=""; for number in $$(seq $(WORKERS)); do \
		$(MANAGE) db_worker --no-startup-delay & workers="$$workers $$!"; \
	done; \
	echo "$(WORKERS) background workers:$$workers"; \
	trap 'kill $$workers 2>/dev/null' EXIT INT TERM; \
	$(GUNICORN) --bind $(HOST):$(PORT) hrms.wsgi

# Development server: debug mode, reloads on code changes, technical error pages.
dev: demo
	@workers=""; for number in $$(seq $(WORKERS)); do \
		$(MANAGE) db_worker --no-startup-delay & workers="$$workers $$!"; \
	done; \
	trap 'kill $$workers 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# Production-style server (gunicorn) in the environment given: production (DJANGO_SECRET_KEY,
# DJANGO_ALLOWED_HOSTS…) or the demo (DJANGO_DEMO=1). Never debug mode. Run `make migrate` and
# at least one `manage.py db_worker` beside it.
serve: install
	@$(MANAGE) shell --command 'from django.conf import settings; raise SystemExit( \
		"make serve does not serve in debug mode: set the production environment (see README)" \
		" or DJANGO_DEMO=1." if settings.DEBUG else 0)'
	$(MANAGE) collectstatic --noinput --verbosity 0
	exec $(GUNICORN) hrms.wsgi

# The suite runs in one process per core (pytest-xdist; TEST_WORKERS=1 runs it in one).
TEST_WORKERS ?= auto
test: system-packages install
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the Vietnamese translations after changing UI strings, then edit locale/vi/.../django.po.
messages: system-packages install
	$(MANAGE) makemessages --locale vi --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(MANAGE) compilemessages --locale vi --ignore '.venv/*'

# Throw away the embedded development database (var/pgdata).
clean-db:
	rm -rf var/pgdata

# Benchmarks (not part of the test suite); see bench/README.md. BENCH_RESEED=1 rebuilds the data.
bench: install
	$(BIN)/python bench/staff_list.py
	$(BIN)/python bench/dossier.py
	$(BIN)/python bench/due_lists.py
	$(BIN)/python bench/exports.py
	$(BIN)/python bench/insurance.py
	$(BIN)/python bench/payroll_outputs.py
	$(BIN)/python bench/api.py

# 50 simulated users against gunicorn for 60 s (Locust, installed into .venv-bench); see bench/README.md.
bench-load: install
	$(BIN)/python bench/load.py
