# Two commands on a fresh machine:  make report   (everything: set up, run all notebooks, report)
#                                   make test     (set up, run the test suite)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
# Human-labelled development data beside the project (never copied in): when present, notebooks 03
# and 04 also show their validation tables. Override with `make report EVAL_DIR=path` (relative to notebooks/).
EVAL_DIR ?= $(if $(wildcard ../shared/eval),../../shared/eval,)

.PHONY: setup report test test-browser lab bench clean-venv

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (corpus_tools)" >/dev/null
	touch $(STAMP)

report: setup  ## run every notebook on seeds/, refresh figures/ and write report/
	$(BIN)/python -m corpus_tools run $(if $(EVAL_DIR),--param eval_dir=$(EVAL_DIR),)

test: setup  ## the test suite, offline (sockets blocked)
	$(BIN)/python -m pytest

test-browser: setup  ## only the real-browser test (JupyterLab in headless chromium); screenshots in test-artifacts/
	$(BIN)/python -m pytest -m browser

lab: setup  ## open the suite in JupyterLab
	$(BIN)/jupyter lab notebooks/

bench: setup  ## benchmarks (speed and memory); prints figures, asserts nothing
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean-venv:
	rm -rf $(VENV)
