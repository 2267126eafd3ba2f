# A fresh clone needs only `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A story is a folder with its briefing.yml and seeds/; the repository's own is the top level.
# `make build STORY=path/to/story` builds another; SEEDS and CONFIG override its two parts.
STORY ?= .
SEEDS ?= $(STORY)/seeds
CONFIG ?= $(STORY)/briefing.yml
STAMP := $(VENV)/.installed
# Dates in the site (feed, sitemap) come from the last commit, so a rebuild is byte-identical.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH

.PHONY: build serve test lint golden clean bench eval new

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/python -m generator build --seeds $(SEEDS) --docs docs --config $(CONFIG) --site site --cache .cache/briefing

# Start a new story: make new STORY=stories/port-strike TITLE="Port strike in Rotterdam (2026)"
new: $(STAMP)
	test "$(STORY)" != "." || { echo 'give the new story a folder: make new STORY=DIR TITLE="..."'; exit 2; }
	$(BIN)/python -m generator new "$(STORY)" --title "$(TITLE)"

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
# level's briefing.yml and seeds/); review it with `git diff tests/golden`.
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
