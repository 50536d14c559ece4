# Cashtrail set-up and checks. The README's two commands are `make demo` and `make test`.
# Everything the project needs is installed from here (Python venv, npm assets, Debian's Pango and DejaVu fonts
# for PDF documents, Debian chromium for browser tests), so a fresh machine needs only python3, node/npm and make.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ASSETS := src/cashtrail/web/static/vendor/.installed-stamp
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2

.PHONY: demo test lint unit setup assets pdf-libs chromium postgres clean

demo: setup  ## build the demo company on SQLite and serve the workbench on http://127.0.0.1:8000
	$(BIN)/cashtrail demo

test: setup chromium postgres lint  ## the whole suite: lint, types, architecture, tests on SQLite and PostgreSQL
	CASHTRAIL_TEST_BACKENDS=sqlite,postgresql CASHTRAIL_TEST_POSTGRES_URL=$(PG_URL) \
	  $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup -p no:cacheprovider

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

setup: $(STAMP) $(ASSETS) pdf-libs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund
	test -f $@

DEJAVU := /usr/share/fonts/truetype/dejavu
pdf-libs:  ## Pango and the DejaVu fonts WeasyPrint renders documents with (Debian packages, installed only when missing)
	@missing=; for font in DejaVuSans DejaVuSans-Bold DejaVuSansMono DejaVuSansMono-Bold; do \
	  test -f $(DEJAVU)/$$font.ttf || missing=1; done; \
	  for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0; do \
	    ls /usr/lib/*/$$lib /usr/lib/$$lib /lib/*/$$lib 2>/dev/null | grep -q . || missing=1; done; \
	  if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; fi

chromium:  ## Debian's chromium for the browser tests (never a downloaded browser build)
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }

postgres:  ## start the local PostgreSQL cluster if it is not running
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; \
	  echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1

clean:
	rm -rf $(VENV) node_modules src/cashtrail/web/static/vendor cashtrail.db*
