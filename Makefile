# Thi đua – two commands: `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip -q --disable-pip-version-check
MANAGE := $(PY) src/manage.py
STAMP := $(VENV)/.installed

.PHONY: install demo serve test test-pg lint e2e bench migrate clean prod-local drills

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Cần Python 3.11 ($(PYTHON))"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes -r requirements.lock 2>&1 | { grep -v "^WARNING: Location" || true; }
	$(PIP) install --no-deps --no-build-isolation -e . 2>&1 | { grep -v "^WARNING: Location" || true; }
	@$(PY) -c "import thidua, django; assert django.VERSION[:2] == (5, 2)"
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(MANAGE) migrate --noinput -v0

# Set up everything, load the Bắc Ninh demo data (idempotent) and serve on DEMO_ADDR.
# Two-factor sign-in is switched off for the demo only (THIDUA_TOTP_REQUIRED=0). SITE_URL (links
# in mail, certificates' QR codes) is the address served, unless given: for phones on the LAN,
# `make demo DEMO_ADDR=0.0.0.0:8000 SITE_URL=http://192.168.1.10:8000 ALLOWED_HOSTS=192.168.1.10`.
DEMO_ADDR ?= 127.0.0.1:8000
SITE_URL ?= http://$(DEMO_ADDR)
# Mail (invitations, reminders, digests) goes to files in var/mail/ rather than flooding the console.
DEMO_ENV = THIDUA_TOTP_REQUIRED=0 SITE_URL=$(SITE_URL) EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
# The demo leader's signing key (var/signing/keys, made by demo_load) opens with this passphrase.
export THIDUA_DEMO_SIGNING_PASSPHRASE ?= demo-ky-so
demo: migrate
	$(DEMO_ENV) $(MANAGE) demo_load
	@echo "Thư điện tử của bản dùng thử được ghi vào var/mail/ (mỗi lần gửi một tệp)."
	$(DEMO_ENV) $(MANAGE) runserver $(DEMO_ADDR)

# The PKCS11 signing test uses SoftHSM2 (Debian's softhsm2), installed when missing.
SOFTHSM := @test -e /usr/lib/softhsm/libsofthsm2.so || { apt-get update -qq \
	&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq softhsm2 >/dev/null; } \
	|| echo "softhsm2 missing: the PKCS11 signing test is skipped"

test: install
	$(SOFTHSM)
	$(PY) -m pytest -m "not e2e and not slow" -q

test-pg: install
	$(SOFTHSM)
	DATABASE_URL=$${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} $(PY) -m pytest -m "not e2e" -q

lint: install
	$(VENV)/bin/ruff check src tests $(wildcard bench)
	$(VENV)/bin/ruff format --check src tests $(wildcard bench)
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# Browser tests drive Debian's chromium; install it when missing (never a downloaded browser).
e2e: install
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }
	$(PY) -m pytest -m e2e -q

# Benchmarks, all quick (bench/README.md). Load comes from wrk and the contest app is served
# behind nginx, as in production: both from Debian, installed when missing.
bench: install
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }
	@command -v wrk >/dev/null && { command -v nginx >/dev/null || test -x /usr/sbin/nginx; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null; }
	@set -e; for b in $(sort $(wildcard bench/*.py)); do case "$$b" in */loadgen.py|*/drills.py|*/_*) continue;; esac; echo "== $$b"; out=$$($(PY) "$$b" --quick); echo "$$out"; echo "$$out" | tail -n1 | $(PY) -c "import json,sys; print('   meets_target:', json.loads(sys.stdin.read()).get('meets_target'))"; done

# The production stack on this machine (deploy/prod_local.py): two gunicorn servers on PORTS
# (default 8001,8002), a Celery worker and beat, on PostgreSQL (DATABASE_URL) and Redis
# (REDIS_URL, CELERY_BROKER_URL); dead processes are restarted. Loads the demo data.
prod-local: install
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
	$(PY) deploy/prod_local.py --demo $(if $(PORTS),--ports $(PORTS))

# Fault drills against a private PostgreSQL and Redis (bench/drills.py; --quick for a short run).
drills: install
	$(PY) bench/drills.py

clean:
	rm -rf $(VENV) var
