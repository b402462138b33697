# The two commands a new machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DATA ?= sia-data/demo

.PHONY: demo test lint format install static clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==26.3
	$(BIN)/pip install --quiet -c constraints.txt setuptools==80.9.0
	$(BIN)/pip install --quiet -c constraints.txt --no-build-isolation -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Front-end packages from the npm registry, pinned by their package-lock.json files: GOV.UK
# Frontend and sass for the web app, axe-core for the accessibility tests. The web app's
# static files are built from them (nothing is fetched when the app runs).
AXE := tests/report/axe/node_modules/axe-core/axe.min.js
webapp/node_modules/.installed: webapp/package.json webapp/package-lock.json
	cd webapp && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(AXE): tests/report/axe/package.json tests/report/axe/package-lock.json
	cd tests/report/axe && npm ci --no-audit --no-fund --loglevel=error
	touch $@

webapp/static/govuk/sia.css: webapp/node_modules/.installed webapp/build_static.py webapp/assets/sia.scss $(STAMP)
	$(BIN)/python webapp/build_static.py

static: webapp/static/govuk/sia.css

# The Kirklees demo pack: five years of every partner source and the insight, written in
# each source's own format and loaded as a user would (a second run changes nothing);
# then the assessment of its latest twelve months, and its report (HTML, PDF, Word, Excel,
# ward and place profiles) under $(DEMO_DATA)/report.
demo: $(STAMP) static
	$(BIN)/sia --data-dir $(DEMO_DATA) demo
	$(BIN)/sia --data-dir $(DEMO_DATA) status
	$(BIN)/sia --data-dir $(DEMO_DATA) assess
	$(BIN)/sia --data-dir $(DEMO_DATA) insight
	$(BIN)/sia --data-dir $(DEMO_DATA) prioritise
	$(BIN)/sia --data-dir $(DEMO_DATA) report

test: $(STAMP) static $(AXE)
	$(BIN)/ruff check
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check
	$(BIN)/ruff format --check

format: $(STAMP)
	$(BIN)/ruff format

clean:
	rm -rf $(VENV) sia-data build *.egg-info webapp/node_modules webapp/static/govuk tests/report/axe/node_modules
