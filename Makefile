# hrms — two commands on a fresh clone:  make run   |   make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEMO_STAFF ?= 3000
HOST ?= 127.0.0.1
PORT ?= 8000

# Development defaults; production sets its own environment (see README).
export DJANGO_DEBUG ?= 1

.PHONY: install migrate demo run test lint format messages clean-db bench

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_reference
	$(MANAGE) seed_demo --staff $(DEMO_STAFF)

# Serves the app and runs a background worker (bulk exports) beside it; Ctrl-C stops both.
run: demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	$(MANAGE) db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the Vietnamese translations after changing UI strings, then edit locale/vi/.../django.po.
messages: install
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
	$(BIN)/python bench/payroll_outputs.py
