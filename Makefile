# portal-harness: `make run` runs the main job, `make test` runs every check. Nothing else to install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint unit clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "portal-harness needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing portal-harness and its dev tools into $(VENV) ..."
	@{ $(BIN)/python -m pip install --disable-pip-version-check --upgrade pip && \
	   $(BIN)/python -m pip install --disable-pip-version-check -e '.[dev]'; } > $(VENV)/install.log 2>&1 || \
		{ cat $(VENV)/install.log; echo "setup failed: see the pip output above"; exit 1; }
	@touch $(STAMP)

## The main job. Until the acceptance suite exists it runs the backend's rule tests and prints
## the rule matrix: every rulebook ID with the tests that prove it.
run: setup
	@$(BIN)/python -m pytest tests/backend --rule-matrix -p no:cacheprovider

lint: setup
	@$(BIN)/ruff check --quiet .
	@$(BIN)/ruff format --check --quiet .

unit: setup
	@$(BIN)/python -m pytest -p no:cacheprovider

test: lint unit

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache reports
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
