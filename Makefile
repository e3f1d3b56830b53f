# The two quickstart commands: `make demo` and `make test`. Each sets up everything it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
GOALSITE := $(BIN)/goalsite
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test bench browser-deps clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Build the example vault and serve it on 127.0.0.1 (Ctrl-C stops it).
demo: $(VENV)/.installed
	$(GOALSITE) --help

# Debian's chromium for the browser tests; installed only when missing.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(VENV)/.installed browser-deps
	$(BIN)/pytest -q

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) example-vault/_site .pytest_cache
