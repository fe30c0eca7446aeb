# Two commands for a fresh Debian/Ubuntu machine with python3 and make:
#   make serve   install into .venv/ and serve the dashboard at http://127.0.0.1:8050
#   make test    install into .venv/ (and, as root, Chromium and fonts) and run every test
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve serve-prod test lint bench mutation install browser clean

$(BIN)/python:
	@$(PY) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3 -m venv is missing: installing Debian's python3-venv"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv >/dev/null && \
	  rm -rf $(VENV) && $(PY) -m venv $(VENV); }

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

install: $(VENV)/.installed

serve: install
	DASH_DISABLE_VERSION_CHECK=true $(BIN)/controlmap serve --host 127.0.0.1 --port 8050

# Production: gunicorn with several workers (gunicorn.conf.py); CONTROLMAP_BIND, CONTROLMAP_WORKERS override.
serve-prod: install
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:server

# Chromium and fonts that shape Arabic for the browser tests, node for the browser's own timeline test,
# Redis for the Celery test (Debian packages; needs root or sudo; without them those tests are skipped
# outside CI).
browser:
	@if [ -x /usr/bin/chromium ] && command -v redis-server >/dev/null && command -v node >/dev/null; then \
	  echo "chromium, node and redis-server: present"; \
	elif [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium \
	    fonts-noto-core fonts-dejavu-core redis-server nodejs >/dev/null; \
	else echo "no chromium, node or redis-server and no root: browser, node and Celery tests will be skipped"; fi

test: install browser
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check layers tests app.py bench scripts wsgi.py gunicorn.conf.py
	$(BIN)/mypy

# Mutation testing of the engine (a few minutes; not part of `make test`): prints the surviving mutants and
# their share, and fails above 10%.
mutation: install
	$(BIN)/python scripts/mutate.py

# Issue 12's goals, each printed on a line starting with GOAL with the measured value and "met" or "NOT
# met": page load under 1 MB compressed (bench.py), first map faster than the naive app in the same run
# (compare.py), GET / at least 10x 36 req/s under 50 clients for 60 s (load.sh). bench.py without
# --no-exports adds the exports; bench/reliability.py the faults (kill -9 during snapshot, animate and
# import; a killed worker and SIGHUP under load).
bench: install browser
	@log=$$(mktemp); \
	{ $(BIN)/python bench/bench.py --no-exports; $(BIN)/python bench/compare.py --steps 5; \
	  $(BIN)/python bench/first_map.py --runs 3; bash bench/load.sh 60 50 index; } 2>&1 | tee $$log; \
	echo "# issues 9 and 12: the goals, as measured above:"; grep '^GOAL' $$log; rm -f $$log

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
