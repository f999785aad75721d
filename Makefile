# framelens: two commands from a fresh clone.
#   make reports   set up .venv (first time, or when pyproject.toml changed) and render the sample reports
#   make test      set up .venv likewise and run every check: ruff lint, ruff format --check,
#                  the test suite and the package's doctests
#   make test-fast the same without the slow (notebook-executing) tests
#   make lint      ruff lint and format check only
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.framelens-installed
KERNEL := framelens
WORKBOOK ?= workbook.yaml
OUT ?= reports
JOBS ?= 2

.PHONY: all reports test test-fast lint venv kernel bench evaluate clean clean-reports help

all: test reports

help:
	@echo "make reports  - render the reports for the bundled sample corpus into $(OUT)/"
	@echo "make test     - ruff lint + format check, then the tests and the package doctests"
	@echo "make test-fast - the same, skipping the slow (notebook-executing) tests"
	@echo "make lint     - ruff lint + format check only"
	@echo "make bench    - run the speed benchmarks (benchmarks/)"
	@echo "make clean    - remove .venv, caches and rendered reports"

venv: $(STAMP)

# The stamp depends on pyproject.toml: the venv is (re)installed only when it changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "framelens needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	@test -x $(PY) || { echo "creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	@echo "installing framelens and its dependencies into $(VENV) (first run, or pyproject.toml changed)"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (framelens)" >/dev/null
	@touch $(STAMP)

kernel: $(STAMP)
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (framelens)"

reports: $(STAMP)
	$(VENV)/bin/framelens run --workbook $(WORKBOOK) --out $(OUT) --jobs $(JOBS)

LINT_PATHS := lib tests benchmarks
RUFF := $(VENV)/bin/ruff

lint: $(STAMP)
	$(RUFF) check $(LINT_PATHS)
	$(RUFF) format --check $(LINT_PATHS)

# pytest collects tests/ and the doctests of lib/framelens (testpaths and --doctest-modules
# in pyproject.toml). It exits 5 when it collected no test: that is a failure here, not a pass.
define run_pytest
	@$(PY) -m pytest $(1); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make: pytest collected no tests - failing"; exit 1; fi; \
	exit $$rc
endef

test: lint
	$(call run_pytest,)

test-fast: lint
	$(call run_pytest,-m "not slow")

bench: $(STAMP)
	$(PY) benchmarks/bench_foundation.py

clean-reports:
	rm -rf $(OUT)/*.html $(OUT)/manifest.json $(OUT)/_build .framelens-cache

clean: clean-reports
	rm -rf $(VENV) .pytest_cache
