# Two commands matter: `make run` and `make test`. Both need only python3.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test e2e lint bench install clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) scripts/serve.py --host $(HOST) --port $(PORT)

test: install
	$(PY) -m ruff check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -n "$$CHROMIUM" ] || \
		echo "ВНИМАНИЕ: Chromium не найден — браузерные тесты tests/e2e будут пропущены (apt-get install chromium)."
	$(PY) -m pytest

# Browser tests alone; screenshots of each step go to var/screenshots/.
e2e: install
	$(PY) -m pytest tests/e2e

bench: install
	$(PY) -m tests.bench

clean:
	rm -rf $(VENV) build *.egg-info
