# Two commands for a newcomer:  `make run`  (the service on SQLite)  and  `make test`  (everything CI runs).
# Day to day:  `make check`  (lint and the fast lane: SQLite only; no child processes, browser, SIGKILL, PostgreSQL
# restart, fuzz or slow end-to-end tests — those run in `make test`). Both use pytest-xdist (below).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run chat test check lint install system-test-deps clean

run: $(STAMP)  ## install, migrate and serve on the embedded SQLite default
	$(BIN)/python -m bot serve

chat: $(STAMP)  ## try the bot in this terminal (no credentials needed)
	$(BIN)/python -m bot chat

# `make test` runs the suite in two parts. First everything but SERIAL on pytest-xdist, one worker per core (each
# test has its own SQLite copy, temp dir and ports; PostgreSQL tests get uniquely named schemas and databases;
# worksteal keeps both cores busy to the end, the tests' lengths vary from milliseconds to half a minute). Then
# SERIAL alone, in one process: the PostgreSQL restart (it would break every other worker's PostgreSQL test) and
# the SIGKILL restart (it starts the service again on a port it let go, which another worker could take). Both
# parts always run; make fails if either failed. Bytecode caching is on for the run even where the environment
# turns it off (PYTHONDONTWRITEBYTECODE): the suite starts about twenty Python child processes and two workers,
# and each would compile the project's modules again (about 1 s of CPU per cold start).
SERIAL := pg_restart or sigkill
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest

test: $(STAMP) system-test-deps lint  ## install and run the whole suite (SQLite and PostgreSQL)
	$(PYTEST) -n auto --dist worksteal -m "not ($(SERIAL))"; parallel=$$?; \
	$(PYTEST) -m "$(SERIAL)"; serial=$$?; \
	test $$parallel -eq 0 && test $$serial -eq 0

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
