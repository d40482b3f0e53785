# umusocial: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Development settings for local commands; production sets its own environment.
DEV    := DEBUG=true
# Runtime data (SQLite database, embedded Celery broker, sent e-mail); ignored by git.
VAR    := $(or $(UMUSOCIAL_VAR_DIR),var)

.PHONY: install install-test run test lint format messages screenshots ci clean bench bench-scaleout

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "umusocial needs Python 3.10 or newer (set PYTHON=python3.x)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-test: $(VENV)/.test

## make run: the portal on http://127.0.0.1:8000 with a Celery worker and beat (SQLite, no Redis).
run: install
	@# SQLite does not create its folder, and kombu's filesystem broker needs its folders
	@# before the first message is written (seed_demo already queues e-mails).
	mkdir -p $(VAR)/celery/queue $(VAR)/celery/control $(VAR)/mail
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py seed_demo
	@# Beat sends reminders daily at 07:00; send today's now so the demo mailbox shows them.
	$(DEV) $(BIN)/python manage.py send_reminders
	@echo "Portal: http://127.0.0.1:8000  ·  sent e-mail: http://127.0.0.1:8000/dev/mail/  ·  Ctrl-C stops all"
	$(DEV) PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho -f Procfile.dev start

## make test: lint, migrations check, translations check and the whole test suite.
test: install-test lint
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

## make lint: ruff, then mypy with django-stubs (mypy.ini; settings load with $(DEV)).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV) $(BIN)/mypy .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make messages: update the Swedish and English catalogues (needs GNU gettext).
messages: install
	$(DEV) $(BIN)/python manage.py makemessages --locale sv --locale en --ignore '.venv/*' --ignore 'var/*'
	$(DEV) $(BIN)/python manage.py compilemessages --ignore '.venv/*'

## make bench: every page against the login page at 10k and 100k channels on gunicorn and
## PostgreSQL; writes the table into docs/benchmarks.md (BENCH_SIZES=1000,5000 for a quick run).
bench: install
	$(BIN)/python -m umusocial.bench.run

## make bench-scaleout: two web processes and two Celery workers on Redis and one PostgreSQL, a
## burst of e-mails and two racing reminder sweeps; every message counted at an SMTP server, none
## lost or doubled (needs Redis; uses Redis DB 11 and the database umusocial_scaleout_bench).
bench-scaleout: install-test
	$(BIN)/python -m umusocial.bench.scaleout

## make screenshots: the key pages at 1280 and 320 px on the demo's data, into docs/screenshots/.
screenshots: install-test
	$(DEV) $(BIN)/python docs/screenshots/make.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var
