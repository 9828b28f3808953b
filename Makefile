# beheerbot: `make run` serves the bot on a local SQLite database with demo data; `make test` runs the checks.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint bench playground playground-teacher clean migration demo-deliveries e2e e2e-deps

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

# The Microsoft 365 Agents Playground, pinned in e2e/package.json (npm ci, never an unpinned npx).
PORT ?= 3978
PLAYGROUND := e2e/node_modules/.bin/agentsplayground
# Its log goes to build/ instead of a devTools/ folder in the checkout.
PLAYGROUND_ENV := APPLICATION_INSIGHTS_NO_STATSBEAT=true M365_AGENTS_PLAYGROUND_LOGFILE=$(CURDIR)/build/playground/devtools.log

$(PLAYGROUND): e2e/package.json e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund
	touch $(PLAYGROUND)

playground: $(PLAYGROUND)
	mkdir -p build/playground
	$(PLAYGROUND_ENV) $(PLAYGROUND) -e http://127.0.0.1:$(PORT)/api/messages -c msteams --disable-telemetry

# The Playground has no user switcher: this runs it with Megan Bowen (a teacher) as its user.
playground-teacher: $(PLAYGROUND)
	mkdir -p build/playground
	$(PLAYGROUND_ENV) M365_AGENTS_PLAYGROUND_CONFIG_PATH=$(CURDIR)/e2e/teacher.m365agentsplayground.yml \
		$(PLAYGROUND) -e http://127.0.0.1:$(PORT)/api/messages -c msteams --disable-telemetry

# The walk in the real client (e2e/walk.py): the bot on a fresh demo database, the Playground,
# headless Debian Chromium driven by Playwright for Python. Screenshots go to build/e2e/.
# E2E_BOT_PORT / E2E_PLAYGROUND_PORT choose the ports (default 3991 / 56001).
e2e-deps: install $(PLAYGROUND)
	test -x /usr/bin/chromium || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)

e2e: e2e-deps
	$(BIN)/python e2e/walk.py

clean:
	rm -rf $(VENV) beheerbot.db beheerbot.db-* .pytest_cache e2e/node_modules build/e2e build/playground
