# citeqa: `make serve` runs the service on the default corpus, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export HF_HUB_OFFLINE := 1

.PHONY: serve test lint typecheck install install-test build clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first, pinned: the CPU build this machine provides (an unpinned torch pulls CUDA).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
	@# widget browser tests: Debian's chromium (Playwright cannot download browsers here), axe-core from npm
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund

build: install
	$(BIN)/citeqa build

serve: build
	CITEQA_PORT=$(PORT) $(BIN)/citeqa serve

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint Dockerfile

typecheck: install-test
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest

clean:
	rm -rf data/index .pytest_cache .mypy_cache .ruff_cache
