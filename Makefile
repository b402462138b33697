# The two commands a new machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DATA ?= sia-data/demo

.PHONY: demo test lint format install clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==26.3
	$(BIN)/pip install --quiet -c constraints.txt setuptools==80.9.0
	$(BIN)/pip install --quiet -c constraints.txt --no-build-isolation -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Until the Kirklees demo pack exists, the demo loads the real police.uk files the
# project ships (City of London Police, 2017-2021) into the City of London partnership.
demo: $(STAMP)
	$(BIN)/sia --config city-of-london --data-dir $(DEMO_DATA) ingest police-uk data/police_uk/city-of-london
	$(BIN)/sia --config city-of-london --data-dir $(DEMO_DATA) status

test: $(STAMP)
	$(BIN)/ruff check
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check
	$(BIN)/ruff format --check

format: $(STAMP)
	$(BIN)/ruff format

clean:
	rm -rf $(VENV) sia-data build *.egg-info
