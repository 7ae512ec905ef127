"""/healthz and a real Celery round-trip: broker, worker and result backend in real Redis,
with a worker process started by the test."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from apps.core.tasks import echo
from opsportal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """A real `celery worker` on a queue of its own, against the test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {**os.environ, "CELERY_QUEUE": queue, "DJANGO_SETTINGS_MODULE": "opsportal.settings"}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{db['NAME']}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "opsportal",
            "worker",
            "-Q",
            queue,
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = celery_app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=0.5)
        if replies:
            break
        assert proc.poll() is None, proc.stdout.read().decode()
    else:
        proc.kill()
        pytest.fail("the Celery worker did not come up within 60 s")
    yield queue
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.mark.celery_worker
def test_a_task_goes_through_real_redis_to_a_real_worker_and_back(celery_worker_process):
    payload = {"text": "季度考核", "n": 42}
    result = echo.apply_async(args=[payload], queue=celery_worker_process)
    assert result.get(timeout=30) == payload


@pytest.mark.celery_worker
def test_healthz_is_ok_with_database_redis_and_a_live_worker(celery_worker_process, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["redis"] == "ok"
    assert body["celery_worker"].startswith("ok")


@pytest.mark.django_db
def test_healthz_fails_when_redis_is_down(client):
    # Nothing listens on port 1: a real refused connection, not a mock.
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["redis"] != "ok" and body["database"] == "ok"


@pytest.mark.django_db
def test_healthz_needs_no_login_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code in (200, 503)
    assert "no-cache" in response.headers.get("Cache-Control", "") or "max-age=0" in response.headers["Cache-Control"]
