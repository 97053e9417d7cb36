# Two commands for a newcomer: `make run` (install, migrate, seed, serve) and `make test` (install, test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test check lint bench clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev]'
	@touch $@ $(VENV)/.installed

## Install into .venv, migrate, seed (a no-op when nothing changed) and serve on http://127.0.0.1:8000
run: $(VENV)/.installed
	$(BIN)/papers db upgrade
	$(BIN)/papers seed
	$(BIN)/papers serve

## Install the test tools (and Debian's chromium when missing), then run the whole suite
test: $(VENV)/.installed-dev
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)
	@# Chinese glyphs for the screenshots the browser tests save (the tests pass without them).
	@fc-list :lang=zh 2>/dev/null | grep -q . || (apt-get update -qq && apt-get install -y -qq fonts-noto-cjk) || true
	$(BIN)/pytest $(PYTEST_ARGS)

## Lint, type-check and check that the migrations match the models
check: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app tests bench migrations/env.py

CATALOGS := app/translations
## Collect new interface text into messages.pot and merge it into the zh_Hans and en catalogs (then translate)
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ -k ngettext:1,2 --no-location --sort-output --ignore-dirs ".* __pycache__" \
		--project "Paper Atlas" --msgid-bugs-address "" -o $(CATALOGS)/messages.pot .
	$(BIN)/pybabel update -i $(CATALOGS)/messages.pot -d $(CATALOGS) -D messages --ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf $(VENV) data test-artifacts
