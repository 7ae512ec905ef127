#!/bin/sh
# Started by `make run` inside opsportal.devstack (so the databases are up).
set -e
PY=.venv/bin/python
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
$PY manage.py seed_demo
cat <<MSG

  OpsPortal is starting on  http://127.0.0.1:${OPSPORTAL_PORT}/
  Demo logins (password: ${DEMO_PASSWORD:-opsportal-demo}):
    admin    系统管理员 (administrator)     ops      运营管理部 (operations)
    hr       人力资源部 (HR)                gm       总经理 (general manager)
    manager  市场部经理 (department head)   staff    市场部员工 (staff)
  Mail is printed here (console backend). Ctrl-C stops everything.

MSG
exec .venv/bin/honcho -f Procfile start
