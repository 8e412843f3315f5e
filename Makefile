# Every target creates or reuses .venv and installs what it needs: on a fresh machine
# `make run` and `make test` are the whole set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint screenshot clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/biaozhu seeds --store annotations

# One test process per core (at most four): most tests wait on subprocesses or the disk.
test: lint browser
	$(BIN)/python -m pytest -p no:cacheprovider --numprocesses=auto --maxprocesses=4

# The browser tests and benchmarks drive Debian's Chromium through its driver: as root,
# installed here when missing (elsewhere those tests are skipped and say why).
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing chromium and chromium-driver (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium chromium-driver fonts-wqy-zenhei >/dev/null \
	      || echo "could not install chromium: the browser tests will be skipped"; \
	  else \
	    echo "no /usr/bin/chromium and not root: the browser tests will be skipped"; \
	  fi; \
	fi

bench: $(STAMP) browser
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check tui tests bench
	$(BIN)/ruff format --check tui tests bench
	$(BIN)/mypy

screenshot: $(STAMP)
	$(BIN)/python docs/make_screenshot.py

clean:
	rm -rf $(VENV) build *.egg-info
