# `make run` starts the service on http://127.0.0.1:5000; `make test` runs the test suite.
# Both install what is missing first (Debian/Ubuntu packages, then a virtual environment).

PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 5000
THREADS ?= 32

PY := $(VENV)/bin/python
# Forms rendered without an account (nothing is archived): allowed when only this machine can
# connect; `make run HOST=0.0.0.0` leaves it off unless PHIEU_ALLOW_ANONYMOUS_RENDER says otherwise.
PHIEU_ALLOW_ANONYMOUS_RENDER ?= $(if $(filter 127.0.0.1 localhost ::1,$(HOST)),true,false)

.PHONY: run test lint system-deps test-system-deps templates bench bench-peers clean

run: system-deps $(VENV)/.run-deps
	PHIEU_ALLOW_ANONYMOUS_RENDER=$(PHIEU_ALLOW_ANONYMOUS_RENDER) \
	$(VENV)/bin/gunicorn --bind $(HOST):$(PORT) --threads $(THREADS) --timeout 300 \
		--access-logfile - wsgi:app

# The tests' database: a local PostgreSQL that scripts/test-postgres.sh starts (and prints the URL
# of), unless TEST_DATABASE_URL is already set. Fails if the server cannot be started.
test: test-system-deps $(VENV)/.test-deps lint
	url="$${TEST_DATABASE_URL:-}"; \
	[ -n "$$url" ] || url="$$(scripts/test-postgres.sh)" || exit 1; \
	redis="$${TEST_REDIS_URL:-}"; \
	[ -n "$$redis" ] || redis="$$(scripts/test-redis.sh)" || exit 1; \
	TEST_DATABASE_URL="$$url" TEST_REDIS_URL="$$redis" $(PY) -m pytest -q $(PYTEST_ARGS)

# ruff (pyproject.toml): pyflakes, pycodestyle, import order, bugbear. Part of `make test`.
lint: $(VENV)/.test-deps
	$(VENV)/bin/ruff check .

system-deps:
	scripts/install-system-deps.sh

test-system-deps:
	scripts/install-system-deps.sh --test

$(VENV)/bin/pip:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(VENV)/bin/pip
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-dev.txt | $(VENV)/bin/pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

# Rebuilds templates_docx/*.docx from their builders in templates_docx/ (commit the result).
templates: $(VENV)/.run-deps
	$(PY) -m templates_docx.build

# The benchmarks (docs/BENCHMARKS.md): conversion (old path, warm engine, throughput, memory),
# then the print packet of a 200-person unit against the same done one form at a time.
# `make bench-peers` times the service against unoserver and Carbone in one run (it installs
# them, if missing, under .bench-peers/: a virtual environment, an npm folder).
bench: system-deps $(VENV)/.run-deps
	$(PY) -m bench.json_to_pdf --runs 20
	$(PY) -m bench.packet --people 200 --runs 3

bench-peers: system-deps $(VENV)/.run-deps
	$(PY) -m bench.peers --runs 20 --clients 8 --requests 200

clean:
	rm -rf $(VENV) .pytest_cache
