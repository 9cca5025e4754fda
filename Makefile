# Set-up and everyday commands. Each target does its own set-up, so a fresh clone needs only
# `make serve` or `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEMO_DIR ?= .gradmatch/demo
# Caches (the jieba dictionary cache among them) live in the project's own data folder.
export GRADMATCH_HOME ?= $(CURDIR)/.gradmatch/home

.PHONY: install serve demo test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# Builds the demo engine from the bundled data once, then serves it.
demo: $(STAMP)
	$(BIN)/gradmatch demo --out $(DEMO_DIR)

serve: $(STAMP)
	test -f $(DEMO_DIR)/config.json || $(BIN)/gradmatch demo --out $(DEMO_DIR)
	$(BIN)/gradmatch serve --engine-dir $(DEMO_DIR) --host $(HOST) --port $(PORT)

test: $(STAMP)
	OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check matching embeddings ranking service tests benchmarks
	$(BIN)/mypy matching embeddings ranking service

bench: $(STAMP)
	$(BIN)/python benchmarks/run_quality.py

clean:
	rm -rf $(VENV) .gradmatch build dist *.egg-info
