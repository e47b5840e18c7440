# Two commands matter: `make run` and `make test`. Both need only python3.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test e2e lint bench install clean

$(VENV)/.installed: pyproject.toml
	@echo "==> Устанавливаю зависимости в $(VENV) (в первый раз — 1–2 минуты)…"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet ".[test]"
	@touch $@
	@echo "    готово."

install: $(VENV)/.installed

# Links in mails and feeds lead to the address the server is started on, unless SITE_URL is set.
run: export SITE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),localhost,$(HOST)):$(PORT)
# The worker's routine lines (two a minute per schedule) would bury the sign-in links.
run: export Q_LOG_LEVEL ?= WARNING
# Production settings over plain HTTP (config/settings.py, PLAIN_HTTP); DEBUG=1 make run for
# Django's debug pages.
run: export PLAIN_HTTP ?= 1
run: export ALLOWED_HOSTS ?= localhost,127.0.0.1,[::1],$(HOST)
run: install
	@echo "==> Готовлю базу данных: миграции…"
	@$(PY) manage.py migrate --noinput -v 0
	@echo "==> Собираю статические файлы…"
	@$(PY) manage.py collectstatic --noinput -v 0
	@echo "==> Загружаю демо-данные (в первый раз — до минуты; повтор ничего не дублирует)…"
	@$(PY) manage.py load_demo
	@echo "==> Запускаю сайт и фоновый обработчик на $(SITE_URL)…"
	@$(PY) scripts/serve.py --host $(HOST) --port $(PORT)

test: install
	$(PY) -m ruff check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -n "$$CHROMIUM" ] || \
		echo "ВНИМАНИЕ: Chromium не найден — браузерные тесты tests/e2e будут пропущены (apt-get install chromium)."
	$(PY) -m pytest

# Browser tests alone; screenshots of each step go to var/screenshots/.
e2e: install
	$(PY) -m pytest tests/e2e

# Benchmarks on a throwaway database: SQLite, or a new database on the PostgreSQL server of
# DATABASE_URL (dropped after). BENCH=themes runs only tests/bench/bench_themes.py.
bench: install
	$(PY) -m tests.bench $(BENCH)

clean:
	rm -rf $(VENV) build *.egg-info
