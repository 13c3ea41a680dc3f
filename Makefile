# Set-up, run and test. Works from a fresh clone: everything it needs it installs
# (Debian packages via scripts/sysdeps.sh when root, Python packages into .venv).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stamp-install
PIP_FLAGS := --quiet --disable-pip-version-check --progress-bar off

.PHONY: help venv setup sysdeps run test test-fast lint schema bench results clean

help:
	@echo "make run      set-up, then process samples/ into output/"
	@echo "make test     set-up, then schema check, ruff and pytest"
	@echo "make test-fast  the same without the tests marked slow (corpus runs, browser, LibreOffice)"
	@echo "make sysdeps  check/install Debian packages (tesseract, poppler, fonts, LibreOffice)"
	@echo "make venv     create .venv and pip install -e '.[dev,dask]' (dask: the --executor dask extra)"
	@echo "make lint | schema | bench | results | clean"

# --- set-up ---------------------------------------------------------------

venv setup: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

# Re-install only when pyproject.toml changes (or the venv was recreated).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[dev,dask]'
	touch $@

sysdeps:
	bash scripts/sysdeps.sh

# --- tasks ----------------------------------------------------------------

# Exit 1 means some files could not be processed (listed in output/errors.csv): reported, not fatal.
run: sysdeps venv
	$(BIN)/directives run samples --out output || { rc=$$?; [ $$rc -eq 1 ] || exit $$rc; \
	  echo "make run: some files could not be processed; see output/errors.csv"; }
	@echo "outputs in output/ (datasets.xlsx, *.csv, json/); call directives as $(BIN)/directives," \
	  "or after 'source $(BIN)/activate' as directives"
	@echo "make run: browse and search the corpus with: $(BIN)/directives serve --out output  (http://127.0.0.1:8001/)"

# Each line must succeed; pytest exit 5 (no tests collected) fails the target.
test: sysdeps venv
	$(BIN)/python -m directives.schemas.generate --check
	$(BIN)/python -m directives.columns --check output/README.md
	$(BIN)/ruff check src tests
	$(BIN)/python -m pytest -q

# The quick loop while working: the tests marked slow (whole-corpus runs, the browser, big TIFFs) left out.
test-fast: venv
	$(BIN)/python -m directives.schemas.generate --check
	$(BIN)/ruff check src tests
	$(BIN)/python -m pytest -q -m "not slow"

lint: venv
	$(BIN)/ruff check src tests

schema: venv
	$(BIN)/python -m directives.schemas.generate

bench: sysdeps venv
	$(BIN)/directives bench samples

# Rerun the dev set, score and benchmark it, and rewrite the README's Results section.
results: sysdeps venv
	$(BIN)/python -m directives.results README.md

clean:
	[ ! -d output ] || find output -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache build dist src/*.egg-info
