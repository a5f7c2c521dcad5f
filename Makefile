# The README's two commands: `make run` (main job) and `make test` (whole test suite).
# Both create .venv on first use and reinstall when pyproject.toml changes: `make run` installs what
# running needs (kil_io and its dependencies), `make test` adds the test tools (the [dev] extra).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.kil_io-run
DEV_STAMP := $(VENV)/.kil_io-dev

.PHONY: run test e2e wheel-test lab-test lint bench bench-smoke publish data clean

$(RUN_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $(RUN_STAMP)

# a development install holds everything a run needs, so it satisfies `make run` too
$(DEV_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(DEV_STAMP) $(RUN_STAMP)

## run: every case study in notebooks/case_studies.yaml, in parallel, into outputs/ (see outputs/index.html),
## and Type I and II multipliers of every GB local authority in one table (outputs/tables/areas/)
run: $(RUN_STAMP)
	$(BIN)/kil-io run --all --out outputs
	$(BIN)/kil-io multipliers --all-areas --areas-out outputs/tables/areas

## test: type checks (mypy over kil_io), then the whole test suite (what CI runs) on every core; a test file
## (a published notebook's cells) stays on one worker
test: $(DEV_STAMP)
	$(BIN)/python -m mypy kil_io
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not e2e"

## e2e: the end-to-end checks make test leaves out (tests/conftest.py lists them): the pages and the brief in
## headless Chromium, the Dask runner on a local cluster, runs killed mid-way, data/ rebuilt byte for byte from
## ../shared/data-raw when it is there (about 2 minutes)
e2e: $(DEV_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile -m e2e

## wheel-test: build the wheel (and sdist), install it into a fresh virtual environment outside the
## repository and run kil-io there: multipliers, templates and a case (scripts/wheel_test.py; a few minutes)
wheel-test:
	$(PYTHON) scripts/wheel_test.py

## lab-test: the explore notebook in a real JupyterLab under headless Chromium (JupyterLab's default
## commsOverSubshells): run every cell, move every control, check every chart; the organisation template
## runs there too (tests/lab/; about a minute; not in `make test`)
lab-test: $(DEV_STAMP)
	$(BIN)/python -m pytest tests/lab

## lint: ruff over the package, tests and scripts
lint: $(DEV_STAMP)
	$(BIN)/ruff check kil_io tests scripts benchmarks

## bench-smoke: both benchmark scripts at tiny sizes, end to end, their reports checked (about a minute;
## not in `make test`, which keeps a fast check that the same methods agree)
bench-smoke: $(DEV_STAMP)
	$(BIN)/python -m pytest benchmarks/test_smoke.py

## bench: the smoke run first, then kil_io against the LAPACK limit and pymrio (n = 105 ... 9,800; 40 and 361
## regions; batch notebooks) in one run, written to benchmarks/RESULTS.md. About 6 minutes, and 6 GB of memory
## (pymrio, n = 9,800).
bench: bench-smoke
	$(BIN)/python -m benchmarks

## publish: re-execute the published case-study notebooks (after a change moves a published figure)
publish: $(DEV_STAMP)
	$(BIN)/python scripts/publish_notebooks.py

## data: regenerate data/ from the raw official files in ../shared/data-raw
data: $(DEV_STAMP)
	$(BIN)/python scripts/build_data.py

clean:
	rm -rf outputs .pytest_cache .hypothesis
