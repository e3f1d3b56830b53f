# The two quickstart commands: `make demo` and `make test`. Each sets up everything it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
GOALSITE := $(BIN)/goalsite
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test bench browser-deps system-deps clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Lint the example vault, then build it and serve it on 127.0.0.1 with live reload (Ctrl-C
# stops it). The vault pins its own `today`, so the demo reads the same on any day.
demo: $(VENV)/.installed
	$(GOALSITE) lint example-vault
	$(GOALSITE) serve example-vault --host $(HOST) --port $(PORT)

# What the browser tests need (tests/browser/): Debian's chromium (Playwright drives it; its own
# browsers are never downloaded), a Java runtime for the Nu HTML Checker, and npm for vnu-jar and
# axe-core. Debian packages are installed only when missing; `make test` needs no manual step.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BROWSER_NODE_MODULES := tests/browser/node_modules/.installed

browser-deps: $(BROWSER_NODE_MODULES)

system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	command -v vim >/dev/null 2>&1 || missing="$$missing vim"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages for the browser tests:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BROWSER_NODE_MODULES): tests/browser/package.json tests/browser/package-lock.json | system-deps
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

# GOALSITE_BROWSER_REQUIRED=1: a browser test whose tools are missing fails instead of skipping.
test: $(VENV)/.installed browser-deps
	GOALSITE_BROWSER_REQUIRED=1 $(BIN)/pytest -q

# goalsite beside Hugo and MkDocs on a generated vault (docs/performance.md). Hugo comes from apt,
# MkDocs into benchmarks/.venv only (never a goalsite dependency); either is skipped when it
# cannot be installed. Smaller: make bench BENCH_ARGS="--goals 1000 --entries 5000".
BENCH_ARGS ?=
bench: $(VENV)/.installed
	@command -v hugo >/dev/null 2>&1 || { echo "installing Hugo from apt"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null 2>&1 || \
	  { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null 2>&1; } || \
	  echo "Hugo could not be installed: the comparison runs without it"; }
	@test -x benchmarks/.venv/bin/mkdocs || { echo "installing MkDocs into benchmarks/.venv"; \
	  $(PYTHON) -m venv benchmarks/.venv && benchmarks/.venv/bin/pip install --quiet mkdocs==1.6.1 || \
	  echo "MkDocs could not be installed: the comparison runs without it"; }
	@# Byte-code compiled once, as installing a wheel does: with PYTHONDONTWRITEBYTECODE set, every
	@# run would otherwise compile goalsite again and the short measurements would time that.
	$(BIN)/python -m compileall -q goalsite
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/compare.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) example-vault/_site .pytest_cache
