# Two commands on a fresh Debian machine with Python 3.11: `make demo` and `make test`.
# Each creates .venv and installs everything it needs first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_WS ?= demo-workspace
DEMO_DIR ?= demo-scenario
DEMO_SEED ?= 1
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000
DEMO_PASSWORD ?= pinchpoint-demo

.PHONY: setup web demo test lint typecheck imports unit clean bench bench-scenario

WEB_DIST := src/pinchpoint/web/dist/index.html
WEB_SOURCES := $(shell find web -path web/node_modules -prune -o -type f -print 2>/dev/null)

setup: $(STAMP) $(WEB_DIST)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "needs $(PYTHON)"; exit 1; }
	@# Debian ships venv's pip bootstrap separately; install it when it is missing.
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq python3-venv; }
	@# The browser tests drive Debian's Chromium (Playwright downloads no browser).
	@command -v chromium >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@# The store's tests run on PostgreSQL too: a throwaway cluster (initdb, pg_ctl) per run.
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }
	@# `resolve --engine spark` runs Spark in a JVM (pyspark brings Spark, not Java).
	@command -v java >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }
	@# The briefing pack's PDF is rendered by WeasyPrint, which needs Pango (and its FreeType).
	@ldconfig -p | grep -q libpango-1.0 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }
	@# The briefing pack's tests open the PDF with poppler (pdftoppm, pdfinfo, pdftotext).
	@command -v pdftoppm >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The web workbench: TypeScript built with Vite into the package (served by `pinchpoint serve`).
$(WEB_DIST): $(WEB_SOURCES)
	@command -v npm >/dev/null 2>&1 || { echo "needs Node.js 20 and npm"; exit 1; }
	cd web && npm ci --no-audit --no-fund && npm run build

web: $(WEB_DIST)

# The small synthetic scenario (sources and ground truth in $(DEMO_DIR)), ingested into a
# fresh workspace; then every stage that exists, and a summary an analyst can read.
demo: setup
	rm -rf $(DEMO_WS)
	$(BIN)/pinchpoint demo generate --size small --seed $(DEMO_SEED) --out $(DEMO_DIR)
	$(BIN)/pinchpoint --workspace $(DEMO_WS) init --agency NCA
	$(BIN)/pinchpoint --workspace $(DEMO_WS) agency add BORDER-FORCE --title "UK Border Force"
	$(BIN)/pinchpoint --workspace $(DEMO_WS) demo ingest $(DEMO_DIR)
	$(BIN)/pinchpoint --workspace $(DEMO_WS) status
	$(BIN)/pinchpoint --workspace $(DEMO_WS) demo summary $(DEMO_DIR)
	$(BIN)/pinchpoint --workspace $(DEMO_WS) resolve
	$(BIN)/pinchpoint --workspace $(DEMO_WS) review --limit 5
	echo "$(DEMO_PASSWORD)" | $(BIN)/pinchpoint --workspace $(DEMO_WS) user add nca-analyst \
		--agency NCA --role analyst --clearance SECRET --password-stdin
	echo "$(DEMO_PASSWORD)" | $(BIN)/pinchpoint --workspace $(DEMO_WS) user add bf-analyst \
		--agency BORDER-FORCE --role analyst --clearance OFFICIAL-SENSITIVE --password-stdin
	echo "$(DEMO_PASSWORD)" | $(BIN)/pinchpoint --workspace $(DEMO_WS) user add nca-auditor \
		--agency NCA --role auditor --clearance SECRET --password-stdin
	echo "$(DEMO_PASSWORD)" | $(BIN)/pinchpoint --workspace $(DEMO_WS) user add bf-supervisor \
		--agency BORDER-FORCE --role supervisor --clearance OFFICIAL-SENSITIVE --password-stdin
	$(BIN)/pinchpoint --workspace $(DEMO_WS) --as bf-supervisor share grant --to NCA \
		--reason "demo: Border Force arrivals and interviews for the joint investigation"
	$(BIN)/pinchpoint --workspace $(DEMO_WS) share grant --to BORDER-FORCE \
		--source nca_ledger_london_ex001 --reason "demo: the London ledger, for the joint investigation"
	$(BIN)/pinchpoint --workspace $(DEMO_WS) --as nca-analyst resolve
	$(BIN)/pinchpoint --workspace $(DEMO_WS) --as bf-analyst resolve
	$(BIN)/pinchpoint --workspace $(DEMO_WS) --as bf-analyst --purpose "demo" status
	$(BIN)/pinchpoint --workspace $(DEMO_WS) --as nca-analyst --purpose "demo" money sinks --top 5
	$(BIN)/pinchpoint --workspace $(DEMO_WS) --as nca-analyst --purpose "demo" network rank --top 5
	$(BIN)/pinchpoint --workspace $(DEMO_WS) audit verify
	@echo
	@echo "The workbench: http://$(DEMO_HOST):$(DEMO_PORT)/"
	@echo "  NCA analyst:          nca-analyst / $(DEMO_PASSWORD)"
	@echo "  Border Force analyst: bf-analyst / $(DEMO_PASSWORD)"
	@echo "  NCA auditor:          nca-auditor / $(DEMO_PASSWORD)"
	@if [ -n "$$CI" ]; then \
		echo "(CI: not serving; run: $(BIN)/pinchpoint --workspace $(DEMO_WS) serve)"; \
	else \
		$(BIN)/pinchpoint --workspace $(DEMO_WS) serve --host $(DEMO_HOST) --port $(DEMO_PORT); \
	fi

lint: setup
	$(BIN)/ruff check src tests benchmarks tools

typecheck: setup
	$(BIN)/mypy --strict src tools

# The contracts in pyproject.toml ([tool.importlinter]): the layers, the stages' independence
# and no underscore names from another package (a contract type of our own, tools/).
imports: setup
	$(BIN)/lint-imports

unit: setup
	$(BIN)/pytest -q

test: lint typecheck imports unit

# The README's images, retaken on purpose: the browser tests write them into docs/screenshots
# (`make test` writes them to a temporary folder, so a checkout stays clean).
.PHONY: screenshots
screenshots: setup
	PINCHPOINT_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -q tests/web/test_workbench.py \
		tests/web/test_money.py tests/web/test_phones.py tests/web/test_supply.py \
		tests/web/test_ingest_mapping.py tests/web/test_key_people.py tests/web/test_plan_compare.py \
		tests/web/test_dashboard_trends.py tests/web/test_matching.py

bench: setup
	$(BIN)/python benchmarks/ingest.py

bench-scenario: setup
	$(BIN)/python benchmarks/scenario.py

# docs/cli.md, generated from the commands (tests/test_docs.py fails while it is stale).
.PHONY: docs
docs: $(STAMP)
	$(BIN)/python -c 'from pinchpoint.cli import app; from pinchpoint.cli.docs import write; \
		write(app, "docs/cli.md")'

clean:
	rm -rf $(VENV) $(DEMO_WS) $(DEMO_DIR) .mypy_cache .ruff_cache .pytest_cache .import_linter_cache \
		.hypothesis web/node_modules \
		src/pinchpoint/web/dist
