# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PDF := corpus/docs/254-PCTT-22_signed.pdf

.PHONY: demo test test-all venv dev lint docs bench clean chromium sysdeps

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# A stamp per install so that `make test` after `make demo` only adds what is missing.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

venv: $(VENV)/.installed
dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed sysdeps
	$(BIN)/vnpolicy convert $(DEMO_PDF) -o demo-output.json
	$(BIN)/vnpolicy summary demo-output.json

# The report test drives Debian's headless Chromium. Install it when we can (root, apt-get);
# never fail the build when we cannot: the test then skips and says why.
chromium:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "installing chromium for the report test (apt-get)"; \
		{ DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }; } \
			>/dev/null 2>&1 || echo "note: could not install chromium; the browser test will skip"; \
	fi

# OCR of scanned PDFs needs Tesseract and its Vietnamese model (docs/robustness.md), and
# the tests that write Vietnamese into a PDF need a font that has it (DejaVu Sans).
# Installed when missing and we can (root, apt-get); never fails the build: without
# them those tests skip and say why, and scanned PDFs give a clear error.
SYSDEPS := tesseract-ocr tesseract-ocr-vie fonts-dejavu-core
sysdeps:
	@if { ! { command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie; } \
		|| [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; } \
		&& command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "installing $(SYSDEPS) (apt-get)"; \
		{ DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(SYSDEPS) || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(SYSDEPS); }; } \
			>/dev/null 2>&1 || echo "note: could not install $(SYSDEPS); the tests that need them will skip"; \
	fi

# The whole suite but the tests marked slow (each repeats, over all 400 raw corpus
# files or a 21-page OCR, what a faster test already covers): CI stays well under 15 min.
test: $(VENV)/.installed-dev chromium sysdeps
	$(BIN)/python -m pytest -q -m "not slow"

test-all: $(VENV)/.installed-dev chromium sysdeps
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check vnpolicy tests benchmarks
	$(BIN)/mypy

docs: $(VENV)/.installed-dev
	$(BIN)/mkdocs build --strict

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) site demo-output.json .pytest_cache .mypy_cache .ruff_cache
