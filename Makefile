# Quick start: `make run` opens the workstation, `make test` runs the whole test suite.
# Both create the virtual environment in .venv on first use (Python 3.11+ needed).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TS := resources/translations/mediator_zh_CN.ts
QM := resources/translations/mediator_zh_CN.qm

.PHONY: run test bench clean translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(VENV)/bin/pyside6-lrelease -silent $(TS) -qm $(QM)
	touch $(STAMP)

# The window's translations: Qt Linguist sources built to .qm (again whenever a .ts changes; the window also
# builds a missing or stale one at start). `make translations` re-extracts the sources' strings into the .ts
# and fills new ones from the translations made ahead (zh_CN_pending.tsv); the rest: pyside6-linguist.
$(QM): $(TS) | $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $(TS) -qm $(QM)

translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $$(find mediator_app -name '*.py' | sort) -locations none -source-language en \
		-target-language zh_CN -ts $(TS)
	$(PY) resources/translations/fill.py $(TS) resources/translations/zh_CN_pending.tsv

# On Linux, first check that Qt's X11 plugin can load (else: the exact apt-get / dnf line, and exit 1)
run: $(STAMP) $(QM)
	$(PY) -m mediator_app.ui.platform_check
	$(PY) main.py $(ARGS)

test: $(STAMP) $(QM)
	$(PY) -m pytest $(ARGS)

bench: $(STAMP)
	$(PY) -m bench.ingest --json

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
