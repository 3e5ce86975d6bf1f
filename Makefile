# Quick start: `make run` opens the workstation, `make test` runs the whole test suite.
# Both create the virtual environment in .venv on first use (Python 3.11+ needed).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# On Linux, first check that Qt's X11 plugin can load (else: the exact apt-get / dnf line, and exit 1)
run: $(STAMP)
	$(PY) -m mediator_app.ui.platform_check
	$(PY) main.py $(ARGS)

test: $(STAMP)
	$(PY) -m pytest $(ARGS)

bench: $(STAMP)
	$(PY) -m bench.ingest --json

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
