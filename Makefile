# The README's commands. `make demo` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SCALE  ?= 3000

.PHONY: install dev demo test lint format bench clean fuzz

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[postgres]'
	@ldconfig -p 2>/dev/null | grep -q libgomp.so.1 || echo "note: LightGBM (the learned ranker) \
	needs GNU OpenMP (Debian/Ubuntu: sudo apt-get install libgomp1)"
	@fc-list :lang=zh 2>/dev/null | grep -q . || echo "note: no Chinese font found; the monthly \
	report's charts need one (Debian/Ubuntu: sudo apt-get install fonts-noto-cjk)"
	@touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev,postgres]'
	@touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev

demo: install
	$(BIN)/matcher demo --scale $(SCALE)

test: dev
	$(BIN)/ruff check matcher api tests benchmarks
	$(BIN)/mypy matcher api
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q

# Schema fuzzing of the API (tests/api/test_fuzz.py) with a larger budget than `make test`
# gives it: FUZZ_EXAMPLES examples per operation and way of generating, then boundary values
# (on PostgreSQL too when MATCHER_TEST_POSTGRES_URL is set). About 6 minutes per store on 2 cores.
FUZZ_EXAMPLES ?= 40
fuzz: dev
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_BOUNDARIES=1 HF_HUB_OFFLINE=1 $(BIN)/pytest -q tests/api/test_fuzz.py

lint: dev
	$(BIN)/ruff check matcher api tests benchmarks
	$(BIN)/ruff format --check matcher api tests benchmarks
	$(BIN)/mypy matcher api

format: dev
	$(BIN)/ruff format matcher api tests benchmarks
	$(BIN)/ruff check --fix matcher api tests benchmarks

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

# The standard set (about 15 minutes on 2 cores); see benchmarks/README.md for the full sizes.
bench: install
	$(BIN)/python benchmarks/bench_build.py --sizes 10000,100000 --keep var/bench
	$(BIN)/python benchmarks/bench_recommend.py --dir var/bench --sizes 10000,100000
	$(BIN)/python benchmarks/bench_campaign.py --graduates 20000 --postings 100000
	$(BIN)/python benchmarks/bench_api.py --scale 20000 --requests 1600
	if [ -d ../shared/data ]; then $(BIN)/python benchmarks/bench_quality.py --data ../shared/data; \
	else echo "bench_quality skipped: no ../shared/data"; fi
	$(BIN)/python benchmarks/plot.py
