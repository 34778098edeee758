# Each target builds or refreshes .venv itself, so any one of them works on a fresh machine.
# Packages are installed with uv (from PyPI, into .venv itself): a fresh `make run` takes about
# 20 s instead of a minute with pip. Should uv fail for any reason, pip does the same job.
# Both are followed by compiling every installed module to bytecode, as it is imported by a
# command (`python`) and by a server's workers (`python -OO`, without docstrings): a Python that
# finds none compiles each module from source as it imports it, every time where
# PYTHONDONTWRITEBYTECODE is set. That costs every command its start-up time and leaves each
# worker of a server about 4 MB of fragmented heap. footcoach's own modules (installed
# editable, from src/) are compiled by `make run` and by `python -m bench`: quick when nothing
# has changed.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
UV := $(VENV)/tools/bin/uv
# bytecode for both ways footcoach runs (a module that cannot be compiled is left to its import)
COMPILE = $(BIN)/python -m compileall -q -j 0 -o 0 -o 2
UNCOMPILED = echo "footcoach: some modules have no bytecode; they are compiled as they are imported"

.PHONY: run test lint format bench clean

$(BIN)/python:
	@echo "footcoach: creating $(VENV) with $(PY)"
	$(PY) -m venv --without-pip $(VENV)

# uv lives in .venv/tools, fetched by the system's pip; without it, pip is put into .venv instead
$(VENV)/tools/bin/uv: | $(BIN)/python
	@echo "footcoach: fetching uv, the installer"
	$(PY) -m pip install --quiet --disable-pip-version-check --target $(VENV)/tools uv \
	  || $(BIN)/python -m ensurepip --upgrade

# what footcoach runs on: enough for `make run`
$(RUN_STAMP): pyproject.toml | $(VENV)/tools/bin/uv
	@echo "footcoach: installing footcoach and what it runs on (first time only)"
	$(UV) pip install --python $(BIN)/python -e . \
	  || ($(BIN)/python -m ensurepip && $(BIN)/python -m pip install --quiet -e .)
	$(COMPILE) $(VENV)/lib >/dev/null || $(UNCOMPILED)
	touch $(RUN_STAMP)

# and what its tests, linters and benchmarks need
$(STAMP): pyproject.toml | $(VENV)/tools/bin/uv
	@echo "footcoach: installing footcoach with its test and lint tools (first time only)"
	$(UV) pip install --python $(BIN)/python -e '.[dev]' \
	  || ($(BIN)/python -m ensurepip && $(BIN)/python -m pip install --quiet -e '.[dev]')
	$(COMPILE) $(VENV)/lib >/dev/null || $(UNCOMPILED)
	touch $(STAMP) $(RUN_STAMP)

run: $(RUN_STAMP)
	$(COMPILE) src/footcoach >/dev/null || $(UNCOMPILED)
	$(BIN)/footcoach serve

test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache bench/results
