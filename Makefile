# beheerbot: `make run` serves the bot on a local SQLite database with demo data; `make test` runs the checks.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint bench playground playground-teacher clean migration demo-deliveries

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/beheerbot db upgrade
	$(BIN)/beheerbot demo-data --if-empty
	$(BIN)/beheerbot serve

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

migration: install
	$(BIN)/python -m services.migrations.regenerate

# Development only: write the demo schools' shipped Basispoort deliveries again.
demo-deliveries: install
	$(BIN)/python -m services.demo_data.generate

# The turn benchmark (bench/turns.py); BENCH_DATABASE_URL=postgresql://... adds PostgreSQL,
# BENCH_ARGS="--scale 0.1 --turns 200" a quicker run. The report goes to bench/results/.
bench: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench $(BENCH_ARGS)

playground:
	npx --yes @microsoft/m365agentsplayground -e http://127.0.0.1:3978/api/messages -c msteams

# The Playground has no user switcher: this runs it with Megan Bowen (a teacher) as its user.
playground-teacher:
	cd docs/playground-teacher && npx --yes @microsoft/m365agentsplayground -e http://127.0.0.1:3978/api/messages -c msteams

clean:
	rm -rf $(VENV) beheerbot.db beheerbot.db-* .pytest_cache
