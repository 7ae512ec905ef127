"""Liveness of the parts the portal needs: database, Redis and at least one Celery worker."""

import redis
from django.conf import settings
from django.db import connection

from opsportal.celery import app as celery_app


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, "ok"
    except Exception as exc:
        return False, type(exc).__name__


def check_redis() -> tuple[bool, str]:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return True, "ok"
    except Exception as exc:
        return False, type(exc).__name__


def check_celery_worker(timeout: float = 1.0) -> tuple[bool, str]:
    try:
        replies = celery_app.control.ping(timeout=timeout)
    except Exception as exc:
        return False, type(exc).__name__
    if not replies:
        return False, "no worker answered"
    return True, f"ok ({len(replies)} worker{'s' if len(replies) > 1 else ''})"


def health_report() -> tuple[bool, dict]:
    db_ok, db = check_database()
    redis_ok, red = check_redis()
    # Without Redis the worker ping would only hang until its timeout.
    worker_ok, worker = check_celery_worker() if redis_ok else (False, "redis unavailable")
    ok = db_ok and redis_ok and worker_ok
    return ok, {"status": "ok" if ok else "error", "database": db, "redis": red, "celery_worker": worker}
