# Two entry points for a fresh machine: `make demo` (the main job on samples/) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
LKJ := $(VENV)/bin/lkj
SAMPLE := samples/lkj-bp3mi-ntb-2023.pdf
GOLDEN := tests/golden/lkj-bp3mi-ntb-2023

.PHONY: setup base demo test check lint golden samples bench clean

# `base`: what the main job needs (no OCR, cluster or PostgreSQL extras); `setup`: that and
# the development extras the tests need (every optional part, reportlab, pytest, ruff).
base: $(VENV)/.base
setup: $(VENV)/.installed

$(VENV)/.base: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed: $(VENV)/.base pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# The main job on the bundled samples: extract, check and store every report, then compare
# the years, and write the auditor's page for the 2023 report.
demo: base
	$(LKJ) run samples --db out/lkj.sqlite
	$(LKJ) compare --db out/lkj.sqlite --csv out/compare.csv --chart out/compare.png
	$(LKJ) check $(SAMPLE) --out out/audit-2023 --fail-on never
	@echo "open out/audit-2023/findings.html; query out/lkj.sqlite (see README)"

# Every test, on every core (pytest-xdist; a test file's tests stay on one worker, so a
# module's fixtures, its server or its store, are made once).
test: setup
	$(PY) -m pytest -q -n auto --dist loadfile --durations=15

# The fast loop while working: every test but those marked slow (OCR, the real files, whole
# archives, PostgreSQL, the cluster). `make test` runs them all, as CI does.
check: setup
	$(PY) -m pytest -q -m "not slow" -n auto --durations=5

lint: setup
	$(VENV)/bin/ruff check lkj tests samples/tools benchmarks

# Regenerate golden CSVs from the code; review them with `git diff` against the seed text.
golden: setup
	$(LKJ) extract $(SAMPLE) --out $(GOLDEN) --silent

# Rebuild the sample PDFs from samples/src (needs reportlab, in the dev extra).
samples: setup
	$(PY) samples/tools/build_samples.py

bench: setup
	$(PY) benchmarks/bench_extract.py

clean:
	rm -rf out build *.egg-info .pytest_cache
