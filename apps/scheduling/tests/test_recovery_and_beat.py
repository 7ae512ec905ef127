"""Celery after a crash: a task whose worker died runs again on another worker once the
visibility timeout has passed (sized from the longest job), and only one beat schedules."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from opsportal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[3]


def test_the_visibility_timeout_outlasts_the_longest_job():
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout > settings.CELERY_TASK_TIME_LIMIT > settings.CELERY_TASK_SOFT_TIME_LIMIT
    for name, task in celery_app.tasks.items():
        if not name.startswith("celery."):
            assert (task.time_limit or settings.CELERY_TASK_TIME_LIMIT) < timeout, name
    sweep = settings.CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_interval"]
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_throttle"] == 1
    assert timeout + sweep <= settings.CELERY_TASK_TIME_LIMIT + 120  # recovery is minutes, not an hour


def _env(**extra) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "opsportal.settings", **extra}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{connection.settings_dict['NAME']}"
    return env


def _worker(queue: str, env: dict) -> subprocess.Popen:
    args = ["worker", "-Q", queue, "--pool=solo", "--without-gossip", "--without-mingle", "--loglevel=WARNING"]
    args += ["-n", f"{uuid.uuid4().hex[:6]}@%h", "--include", "apps.core.tests.worker_tasks"]
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "opsportal", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen within {seconds} s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.celery_worker
def test_a_task_whose_worker_was_killed_runs_again_after_the_visibility_timeout(transactional_db):
    client = redis.Redis.from_url(settings.REDIS_URL)
    queue, key = f"test-{uuid.uuid4().hex[:8]}", f"test-recovery:{uuid.uuid4().hex}"
    env = _env(CELERY_QUEUE=queue, CELERY_VISIBILITY_TIMEOUT="5", CELERY_RESTORE_INTERVAL="1")
    first = _worker(queue, env)
    second = None
    try:
        celery_app.send_task("tests.slow_mark", args=[key, 8], queue=queue)
        _wait_for(lambda: client.llen(f"{key}:started"), 60, "the first worker starting the task")
        os.killpg(first.pid, signal.SIGKILL)  # the whole worker dies mid-task, no goodbye
        first.wait(timeout=10)
        killed_at = time.monotonic()
        second = _worker(queue, env)
        _wait_for(lambda: client.llen(f"{key}:done"), 60, "another worker finishing the task")
        recovered_after = time.monotonic() - killed_at
        assert client.llen(f"{key}:started") == 2 and client.llen(f"{key}:done") == 1
        assert recovered_after >= 5  # not before the visibility timeout
    finally:
        _stop(first)
        if second:
            _stop(second)
        client.delete(f"{key}:started", f"{key}:done")


def _beat(env: dict, tmp_path, name: str) -> subprocess.Popen:
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "opsportal", "beat", "--loglevel=WARNING", "--pidfile="],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest.mark.celery_worker
def test_a_second_beat_waits_as_a_standby_and_takes_over_when_the_first_dies(transactional_db, tmp_path):
    from apps.scheduling import beat_lock

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(beat_lock.KEY)
    env = _env(BEAT_LOCK_TTL="3", CELERY_QUEUE=f"test-{uuid.uuid4().hex[:8]}")
    first = _beat(env, tmp_path, "first")
    second = None
    try:
        holder = _wait_for(lambda: client.get(beat_lock.KEY), 60, "the first beat taking the lock")
        second = _beat(env, tmp_path, "second")
        _wait_for(lambda: "standby" in (tmp_path / "second.log").read_text(), 60, "the second beat standing by")
        time.sleep(4)  # longer than the TTL: the first one keeps renewing its lock
        assert client.get(beat_lock.KEY) == holder
        os.killpg(first.pid, signal.SIGKILL)
        new_holder = _wait_for(
            lambda: (v := client.get(beat_lock.KEY)) and v != holder and v, 30, "the standby taking over"
        )
        assert new_holder.decode().endswith(f":{second.pid}")
    finally:
        _stop(first)
        if second:
            _stop(second)
        client.delete(beat_lock.KEY)
