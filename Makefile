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

# The Kirklees demo pack: five years of every partner source and the insight, written in
# each source's own format and loaded as a user would (a second run changes nothing);
# then the assessment of its latest twelve months, and its report (HTML, PDF, Word, Excel,
# ward and place profiles) under $(DEMO_DATA)/report.
demo: $(STAMP)
	$(BIN)/sia --data-dir $(DEMO_DATA) demo
	$(BIN)/sia --data-dir $(DEMO_DATA) status
	$(BIN)/sia --data-dir $(DEMO_DATA) assess
	$(BIN)/sia --data-dir $(DEMO_DATA) report

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
