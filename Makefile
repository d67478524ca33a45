# The two commands: `make run` and `make test`. Everything they need is installed from this repo's files.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench install setup lint messages clean player serve

# The H5P player (npm package h5p-standalone, pinned in package-lock.json), copied into static/h5p/player/.
# --ignore-scripts: the package's own install hook insists on yarn; nothing needs building.
PLAYER_STAMP := static/h5p/player/.installed

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

$(PLAYER_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	rm -rf static/h5p/player
	mkdir -p static/h5p/player
	cp -R node_modules/h5p-standalone/dist/. static/h5p/player/
	touch $(PLAYER_STAMP)

player: $(PLAYER_STAMP)

# h5p_install_libraries: the H5P libraries the platform ships (content/h5p/samples/), so that a trainer's
# upload of a common content type is accepted on a new installation (docs/h5p.md). Safe to run again.
setup: install player
	$(PY) manage.py migrate --noinput
	$(PY) manage.py h5p_install_libraries
	$(PY) manage.py load_demo

run: setup
	@echo "Serving on http://$(HOST):$(PORT)/ (SQLite, Celery tasks in-process). Ctrl+C to stop."
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production mode on one machine (the same processes as on many): gunicorn, a Celery worker and Celery
# beat from the Procfile, against PostgreSQL and Redis named by the environment or a .env file
# (SECRET_KEY, DATABASE_URL, CELERY_BROKER_URL, ALLOWED_HOSTS, ...; see .env.example).
serve: install player
	DJANGO_SETTINGS_MODULE=shell.settings.production $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=shell.settings.production $(PY) manage.py h5p_install_libraries
	DJANGO_SETTINGS_MODULE=shell.settings.production $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=shell.settings.production $(VENV)/bin/honcho start

test: install player
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install player
	@if ls bench/*.py >/dev/null 2>&1; then for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done; \
	else echo "No benchmarks yet (bench/ is empty)."; fi

# ruff, and the import contracts of .importlinter (the layers: docs/architecture.md).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules static/h5p/player
