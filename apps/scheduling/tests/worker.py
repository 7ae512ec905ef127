"""A real `celery worker` process for tests, on a queue of its own, against the test database
(the test must use transactional_db so the worker sees committed rows)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.db import connection

from opsportal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[3]


def worker_env(**extra: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "opsportal.settings", **extra}
    name = connection.settings_dict["NAME"]
    base = os.environ.get("DATABASE_URL")
    if base:
        env["DATABASE_URL"] = base.rsplit("/", 1)[0] + f"/{name}"
    return env


class Worker:
    def __init__(self, queue: str | None = None, *, include: str = "", **env: str):
        self.queue = queue or f"test-notif-{uuid.uuid4().hex[:8]}"
        self.include = include
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.log = Path(f"/tmp/{self.queue}-{uuid.uuid4().hex[:4]}.log")

    @property
    def hostname(self) -> str:
        return f"{self.queue}-{id(self)}@{os.uname().nodename}"

    def start(self, timeout: float = 60) -> "Worker":
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "opsportal",
            "worker",
            "-Q",
            self.queue,
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-n",
            self.hostname,
        ]
        if self.include:
            args += ["--include", self.include]
        self.proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=worker_env(CELERY_QUEUE=self.queue, **self.env),
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if celery_app.control.ping(destination=[self.hostname], timeout=0.5):
                return self
            assert self.proc.poll() is None, self.log.read_text()
        self.kill()
        raise AssertionError(f"the worker did not come up:\n{self.log.read_text()}")

    def kill(self) -> None:
        """SIGKILL: no goodbye, no acknowledgement, no rollback by Python (PostgreSQL rolls back)."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(predicate, timeout: float = 60, interval: float = 0.2, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")
