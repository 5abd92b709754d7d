# Two commands do all set-up: `make run` (chat page) and `make test` (test suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
PORT ?= 8501

.PHONY: run test install install-test index eval bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# torch==2.13.0 comes first: it is the CPU build on disk; anything else pulls CUDA wheels.
$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(PIP) install torch==2.13.0
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

index: install
	$(VENV)/bin/assistant index

run: index
	$(VENV)/bin/streamlit run app.py --server.headless true --browser.gatherUsageStats false \
		--server.address 0.0.0.0 --server.port $(PORT)

test: install-test
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(PY) -m pytest -q

eval: index
	$(VENV)/bin/assistant eval --gold evals/gold.jsonl --out evals/runs/latest

bench: index
	$(PY) -m assistant.bench

clean:
	rm -rf $(VENV) index/CURRENT index/generations index/.lock
