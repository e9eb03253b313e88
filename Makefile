# boroughhub: `make` lists the targets. `make demo` and `make test` are the whole set-up on a fresh
# machine with Python 3.11.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export BOROUGHHUB_DATA_DIR ?= var

.PHONY: help install demo demo-london test test-fast test-future lint browser-deps assets clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

RUNTIME_STAMP := $(VENV)/.installed-runtime

# The demo needs only what the hub runs on; the tests add the dev tools and Spark (a 300 MB download).
$(RUNTIME_STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "boroughhub needs Python 3.11 ($(PYTHON) not found)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME_STAMP)

$(STAMP): $(RUNTIME_STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install boroughhub with its dev tools (idempotent)

demo: $(RUNTIME_STAMP) ## Set up the demo hub with synthetic data and serve it on http://127.0.0.1:8000
	BOROUGHHUB_ENV=demo $(BIN)/boroughhub demo

demo-london: $(RUNTIME_STAMP) ## The demo for all London (33 boroughs, providers joining by accession), data in var/london
	BOROUGHHUB_ENV=demo BOROUGHHUB_DATA_DIR=var/london $(BIN)/boroughhub demo --areas all $(if $(SCALE),--scale $(SCALE),)

test: install browser-deps ## Run the whole test suite
	BOROUGHHUB_ENV=test $(BIN)/python -m pytest -n 2 -q

test-fast: install ## Run the tests that need neither a browser nor a database server
	BOROUGHHUB_ENV=test $(BIN)/python -m pytest -n 2 -q -m "not browser and not postgres"

# The clock moved past the pilot agreement's expiry (decision 0026): Debian's faketime moves it for every
# process the tests start. Not part of CI, to keep CI short.
test-future: install browser-deps ## Run the whole test suite with the clock moved to 1 June 2028
	@command -v faketime >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq faketime >/dev/null; \
	  else echo "Install Debian's faketime package (sudo apt-get install faketime)."; exit 1; fi; }
	BOROUGHHUB_ENV=test faketime -f "+$$(( ($$(date -d 2028-06-01 +%s) - $$(date +%s)) / 86400 ))d" \
	  $(BIN)/python -m pytest -n 2 -q

lint: install ## ruff (bugbear, no-print, complexity, Django kept out of the plain cores), mypy --strict and the layer contracts
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/mypy src/boroughhub
	$(BIN)/lint-imports --no-cache

browser-deps: ## Debian's Chromium for the browser tests (skipped when not root and already present)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "Install Debian's chromium package for the browser tests (sudo apt-get install chromium)."; fi; }

assets: ## Re-vendor GOV.UK Frontend and axe-core from npm (needs Node; output is committed)
	bash scripts/build_assets.sh

clean: ## Remove the virtual environment and the demo's data
	rm -rf $(VENV) var
