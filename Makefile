# Safer Oxford site generator. Needs only python3, make and git.
#   make serve   live preview at http://127.0.0.1:8000
#   make build   static site in site/ (replaced only when the build succeeds)
#   make check   validate content/ without building
#   make overdue list content past its review date
#   make urls    update published-urls.txt after adding or removing pages on purpose
#   make export DIR=...      a plain project (no hooks) that a stock mkdocs-material builds
#   make build-properdocs    the site built by ProperDocs (the maintained mkdocs 1.x fork)
#   make edit    the editors' form at http://127.0.0.1:8000/admin/ (saves into content/)
#   make new-programme NAME="..."   (also new-service, new-dataset; new-priorities YEAR=2024-25)
#   make bench   benchmarks, written to BENCHMARKS.md
#   make test    every test (browser tests need Debian's chromium: see .ci/run)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OSCP   := PYTHONPATH=hooks $(BIN)/python -m oscp
NPM    := $(shell command -v npm 2>/dev/null)
export NO_MKDOCS_2_WARNING := 1
# Python keeps what it compiles (in __pycache__, git-ignored), even where the machine says not
# to (PYTHONDONTWRITEBYTECODE=1): else every command and test process compiles mkdocs, plotly
# and the rest from source again.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: install serve build check overdue urls new-programme new-service new-dataset new-priorities \
	bench test tools lint lock clean

install: $(VENV)/.installed

# axe-core for the accessibility tests, pinned in package-lock.json (needs npm).
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# pip installs uv (pinned by hash in requirements-uv.lock), and uv installs the lock file in
# seconds where pip takes a minute. pip does it instead if uv cannot. Neither compiles: Python
# compiles a module the first time it is imported and keeps it (see PYTHONDONTWRITEBYTECODE
# above), which is a small part of plotly's thousands of modules.
$(VENV)/.installed: requirements.lock requirements-uv.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-uv.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock \
		|| $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

serve: install
	$(BIN)/python -m mkdocs serve --dev-addr 127.0.0.1:8000

# The editors' form in a browser (Decap CMS): decap-server, its local backend, on loopback only
# (it listens on every interface unless BIND_HOST is set), and the live preview. Saving in the
# form writes content/<kind>/<id>.yml in this working tree. Ctrl-C stops both servers.
.PHONY: edit
edit: install node_modules/.installed
	@BIND_HOST=127.0.0.1 PORT=8081 MODE=fs node node_modules/decap-server/dist/index.js & cms=$$!; \
	OSCP_CMS_LOCAL_BACKEND=http://127.0.0.1:8081 $(BIN)/python -m mkdocs serve --dev-addr 127.0.0.1:8000 & site=$$!; \
	trap 'kill $$cms $$site 2>/dev/null; wait' INT TERM EXIT; \
	echo "Edit the content at http://127.0.0.1:8000/admin/ (Ctrl-C stops both servers)"; \
	wait $$site

build: install
	$(OSCP) build

check: install
	$(OSCP) check

overdue: install
	$(OSCP) check --overdue

urls: install
	$(OSCP) urls

# Past Material's end of life (issue 28). The site built by ProperDocs, the maintained fork of
# mkdocs 1.x, which runs our hooks as they are, strictly, into site-properdocs/ (or DIR=...);
# tests/test_properdocs.py checks it gives the pages `make build` gives.
.PHONY: build-properdocs export
build-properdocs: install
	PYTHONPATH=hooks $(BIN)/properdocs build --strict -f mkdocs.yml -d "$(or $(DIR),site-properdocs)"

# A plain project, no hooks, that a stock mkdocs-material builds: make export DIR=../saferoxford-plain
export: install
	$(if $(DIR),,$(error give the folder: make export DIR=...))
	$(OSCP) export "$(DIR)"

# Scaffolding: a valid skeleton with today's review date, e.g. make new-programme NAME="Street Safety"
new-programme new-service new-dataset: install
	$(OSCP) new $(@:new-%=%) "$(NAME)"

new-priorities: install
	$(OSCP) new priorities "$(YEAR)"

# Benchmarks at 1x, 10x and 30x the real content; writes BENCHMARKS.md
bench: install $(if $(NPM),node_modules/.installed)
	PYTHONPATH=hooks $(BIN)/python -m scripts.bench

lint: install
	$(BIN)/ruff check

test: tools lint
	$(BIN)/python -m pytest

# The Python and the npm tools, installed side by side.
tools:
	$(MAKE) --no-print-directory -j2 install $(if $(NPM),node_modules/.installed)

# Re-pin dependencies after changing pyproject.toml (needs pip-tools).
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --extra dev --strip-extras \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras \
		--no-emit-index-url --no-emit-find-links -o requirements-uv.lock requirements-uv.in

clean:
	rm -rf site .site-build-* .site-old-* .pytest_cache node_modules
