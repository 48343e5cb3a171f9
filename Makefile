# Two entry points for a newcomer: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export BLOQR_HOME ?= $(CURDIR)/.bloqr

.PHONY: install demo test lint ui chromium dagster-home clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# dagster.yaml is the instance config; Dagster reads it from DAGSTER_HOME, so it is copied there.
dagster-home:
	@mkdir -p $(DAGSTER_HOME)
	@cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml

demo: $(STAMP) dagster-home
	$(BIN)/bloqr demo

# The browser test drives Debian's Chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null)

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# `dagster dev` (webserver + daemon) on http://127.0.0.1:3000; refuses to start a second one on the
# same DAGSTER_HOME (bloqr_dagster/cli/ui.py).
ui: $(STAMP) dagster-home
	$(BIN)/bloqr ui --host 127.0.0.1 --port 3000

clean:
	rm -rf .dagster_home .bloqr
