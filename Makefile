# Two commands for a newcomer:  `make run`  (the service on SQLite)  and  `make test`  (everything CI runs).
# Day to day:  `make check`  (lint and the fast lane: SQLite only; no child processes, browser, SIGKILL, PostgreSQL
# restart, fuzz or slow end-to-end tests — those run in `make test`).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run chat test check lint install system-test-deps clean

run: $(STAMP)  ## install, migrate and serve on the embedded SQLite default
	$(BIN)/python -m bot serve

chat: $(STAMP)  ## try the bot in this terminal (no credentials needed)
	$(BIN)/python -m bot chat

test: $(STAMP) system-test-deps lint  ## install and run the whole suite (SQLite and PostgreSQL)
	$(BIN)/python -m pytest

FAST_LANE := not (subprocess or browser or sigkill or pg_restart or fuzz or slow or postgres)

# pytest-xdist: one worker per core (each test has its own SQLite copy, temp dir and ports; PostgreSQL tests,
# which are not in this lane, get uniquely named schemas and databases).
check: $(STAMP) lint  ## lint and the fast lane for day-to-day work; CI runs `make test`
	$(BIN)/python -m pytest -n auto -m "$(FAST_LANE)"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian packages only the tests use (Chromium for the dashboard browser test); the service needs none.
system-test-deps:
	@scripts/system-deps.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
