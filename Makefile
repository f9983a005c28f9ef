# Developer and CI entry points. `make test` does all set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Redone only when the dependencies can have changed.
STAMP := $(VENV)/.installed
# The CPU build lies on local disk; unpinned, torch (pulled in by camel-tools) would be a multi-GB CUDA build.
TORCH := torch==2.13.0

.PHONY: venv demo test lint bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c 'import sys; assert sys.version_info[:2] == (3, 11), f"$(VENV) is Python {sys.version.split()[0]}, need 3.11: make clean"'
	$(BIN)/python -m pip install '$(TORCH)'
	$(BIN)/python -m pip install -e '.[dev]'
	@touch $@

demo: venv
	$(BIN)/rasad demo

# pytest exits 5 when it collected no tests: a broken test layout must not pass as green.
test: venv
	@rc=0; $(BIN)/python -m pytest -q || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$rc

lint: venv
	$(BIN)/ruff check .

# Figures and ratios, not timed tests (docs/benchmarks.md); BENCH_ARGS passes options, e.g. --skip broker.
bench: venv
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .rasad .pytest_cache .ruff_cache build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
