# OpsPortal. `make run` starts everything; `make test` runs the tests.
# With DATABASE_URL / REDIS_URL unset, an embedded PostgreSQL and Redis are started under var/.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEVSTACK := $(PY) -m opsportal.devstack --
PORT ?= 8000

.PHONY: install run test test-fuzz test-e2e lint audit smoke bench lighthouse messages check-deploy backup clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Re-installs only when requirements.txt changed.
$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	@DEBUG=1 OPSPORTAL_PORT=$(PORT) $(DEVSTACK) sh scripts/run.sh

test: install lint
	$(DEVSTACK) $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -c pyproject.toml -r apps opsportal -q

# Every page, form and parameter of the portal with hostile input, as every role (minutes).
test-fuzz: install
	$(DEVSTACK) $(PY) -m pytest -n0 -m fuzz apps/core/tests/test_fuzz.py -p no:cacheprovider $(PYTEST_ARGS)

# The main journeys in Debian's chromium against a live server, worker, PostgreSQL and Redis.
test-e2e: install
	$(PY) -m pytest -n0 -m e2e e2e -p no:cacheprovider $(PYTEST_ARGS)

# Dependency audit; says plainly when no vulnerability database was reachable.
audit: install
	$(PY) scripts/audit_dependencies.py

smoke: install
	$(PY) scripts/smoke.py

bench: install
	$(PY) -m bench $(if $(QUICK),--quick,)

# Lighthouse (npm registry, pinned; 12.x runs on Debian's Node 20) in Debian's chromium, mobile
# profile, on the main pages of the bench data (`make bench` first): bench/lighthouse.json.
LIGHTHOUSE_VERSION := 12.2.3
var/lighthouse/node_modules/.bin/lighthouse:
	mkdir -p var/lighthouse
	npm install --prefix var/lighthouse --no-audit --no-fund --save-exact lighthouse@$(LIGHTHOUSE_VERSION)

lighthouse: install var/lighthouse/node_modules/.bin/lighthouse
	$(PY) -m bench.lighthouse $(LIGHTHOUSE_ARGS)

messages: install
	$(PY) scripts/messages.py

check-deploy: install
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=portal.example.com \
	SECURE_SSL_REDIRECT=1 SECURE_HSTS_SECONDS=31536000 SECURE_HSTS_INCLUDE_SUBDOMAINS=1 SECURE_HSTS_PRELOAD=1 \
	$(PY) manage.py check --deploy --fail-level WARNING

backup: install
	@mkdir -p backups
	$(DEVSTACK) $(PY) scripts/backup.py backups/opsportal-$$(date +%F-%H%M).dump

clean:
	rm -rf staticfiles .pytest_cache
