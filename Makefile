# portal-harness: `make run` runs the main job, `make test` runs every check. Nothing else to install.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
CHROMIUM := /usr/bin/chromium

.PHONY: setup run test lint chromium acceptance unit fuzz bench kill-test steps clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "portal-harness needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing portal-harness and its dev tools into $(VENV) ..."
	@{ $(BIN)/python -m pip install --disable-pip-version-check --upgrade pip && \
	   $(BIN)/python -m pip install --disable-pip-version-check -e '.[dev,suite,browser]' && \
	   $(BIN)/python -m pip install --disable-pip-version-check --no-deps --upgrade \
	     --target $(VENV)/sdk/azure-mgmt-support-6.0.0 'azure-mgmt-support==6.0.0' && \
	   $(BIN)/python -m compileall -q harness portals steps; } > $(VENV)/install.log 2>&1 || \
		{ cat $(VENV)/install.log; echo "setup failed: see the pip output above"; exit 1; }
	@touch $(STAMP)

## The main job: the acceptance suite against the portals (in-process), with the rule matrix.
run: setup
	@$(BIN)/portal-harness run

## The @ui scenarios need Debian's Chromium: installed with apt-get when missing (as root), else a reason.
chromium: setup
	@test -x $(CHROMIUM) || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || { \
	  echo "Installing Chromium for the @ui scenarios (apt-get install chromium) ..."; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
	    > $(VENV)/chromium-install.log 2>&1 || { cat $(VENV)/chromium-install.log; exit 1; }; }
	@test -x $(CHROMIUM) || { echo "make test needs Chromium at $(CHROMIUM) for the @ui scenarios:" \
	  "install it with 'sudo apt-get install chromium' (make run skips them)"; exit 1; }

## The suite in both modes, after a dry run that fails on any undefined step.
acceptance: setup
	@echo "== acceptance suite: undefined steps (dry run)"
	@$(BIN)/portal-harness run --dry-run
	@echo "== acceptance suite, in-process"
	@$(BIN)/portal-harness run --brief --reports reports/inprocess
	@echo "== acceptance suite, live servers"
	@$(BIN)/portal-harness run --brief --mode live --reports reports/live

lint: setup
	@$(BIN)/ruff check --quiet .
	@$(BIN)/ruff format --check --quiet .

unit: setup
	@echo "== pytest"
	@$(BIN)/python -m pytest -p no:cacheprovider

test: lint chromium acceptance unit

## A long, random search for input that breaks the portals (make test runs a short, fixed one).
fuzz: setup
	@PORTAL_HARNESS_FUZZ=long $(BIN)/python -m pytest -p no:cacheprovider \
		tests/input/test_input_fuzz.py tests/input/test_arm_schemathesis.py

## The benchmark (its baselines need the bench extra: moto): about 10 minutes; QUICK=1: 1.5-4 minutes.
bench: $(BENCH_STAMP)
	@$(BIN)/python bench/bench.py $(if $(QUICK),--quick)

$(BENCH_STAMP): $(STAMP)
	@echo "Installing the benchmark's baselines (the bench extra: moto) into $(VENV) ..."
	@$(BIN)/python -m pip install --disable-pip-version-check -e '.[bench]' > $(VENV)/bench-install.log 2>&1 || \
		{ cat $(VENV)/bench-install.log; echo "installing the bench extra failed: see the pip output above"; exit 1; }
	@touch $(BENCH_STAMP)

## serve --state-file under kill -9 for many rounds (make test runs 3): make kill-test ROUNDS=200
ROUNDS ?= 50
kill-test: setup
	@PORTAL_HARNESS_KILL_ROUNDS=$(ROUNDS) $(BIN)/python -m pytest -p no:cacheprovider -s \
		tests/harness/test_store_kill.py

## docs/STEPS.md, the steps catalog, from the step definitions (a test fails when it is stale).
steps: setup
	@$(BIN)/portal-harness steps

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis reports
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
