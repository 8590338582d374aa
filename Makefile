# Buurtwacht: `make demo` runs the app with demo data, `make test` runs the whole suite.
# Each target creates/updates the virtual environment in .venv by itself.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo's own address, for the links it gives and sends (share link, flyer QR, e-mails):
# from HOST and PORT unless SITE_URL is set (e.g. a name others reach it by).
SITE_URL ?= http://$(HOST):$(PORT)
ALLOWED_HOSTS ?= $(HOST),127.0.0.1,localhost

.PHONY: demo test lint format bench messages clean

$(VENV)/.runtime: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

messages: $(VENV)/.runtime
	@command -v msgfmt >/dev/null || { echo "msgfmt ontbreekt: installeer gettext (apt-get install gettext)"; exit 1; }
	cd buurtwacht && ../$(PY) ../manage.py compilemessages --verbosity 0

demo: messages
	DEBUG=1 SITE_URL=$(SITE_URL) $(PY) manage.py demo
	DEBUG=1 SITE_URL=$(SITE_URL) ALLOWED_HOSTS=$(ALLOWED_HOSTS) $(PY) manage.py serve --host $(HOST) --port $(PORT)

# axe-core for the browser tests' accessibility check (tests/browser/axe.py), from npm.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm ontbreekt (apt-get install npm): de browsertests slaan de axe-controle over"; fi

test: $(VENV)/.dev messages node_modules/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy buurtwacht
	$(VENV)/bin/deptry .
	$(VENV)/bin/lint-imports
	$(PY) tools/house_rules.py --po

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# fanout.py needs nothing from outside; geo_lookup.py the full open-data files (bench/README.md).
bench: $(VENV)/.dev messages
	$(PY) bench/fanout.py --mode both --members 16 64 256 --alerts 20 --rate 5 --ack-rate 20
	DATA_DIR=$$(mktemp -d) $(PY) bench/geo_lookup.py

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache .pytest_cache node_modules
