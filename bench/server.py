"""Child processes of the bench (gunicorn, the load generator, the jobs runner): each in
its own process group, all stopped on the way out, whatever happened."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

CHILDREN: list[subprocess.Popen] = []
PORTS = range(8106, 8111)
# Server-side time per request (%(D)s: microseconds from the parsed request to the last
# byte written), tagged by the load generator's X-Bench-Tag header.
ACCESS_FORMAT = "%({x-bench-tag}i)s %(s)s %(D)s"


def spawn(cmd: list[str], **kwargs) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, start_new_session=True, **kwargs)
    CHILDREN.append(proc)
    return proc


def stop(proc: subprocess.Popen, grace: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # the whole group: gunicorn's workers too
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


def stop_all() -> None:
    for proc in reversed(CHILDREN):
        stop(proc)
    CHILDREN.clear()


def free_port() -> int:
    wanted = os.environ.get("BENCH_PORT")
    for port in [int(wanted)] if wanted else PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise SystemExit(f"bench: no free port in {list(PORTS)} (set BENCH_PORT)")


def start_gunicorn(port: int, workers: int, env: dict, access_log: str, error_log: str) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "opsportal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--access-logfile",
        access_log,
        "--access-logformat",
        ACCESS_FORMAT,
        "--error-logfile",
        error_log,
        "--log-level",
        "warning",
    ]
    with open(error_log, "ab") as err:
        proc = spawn(cmd, env=env, stdout=err, stderr=err)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench: gunicorn exited with {proc.returncode}; see {error_log}:\n" + tail(error_log))
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except urllib.error.HTTPError:  # 503 without a Celery worker: still serving
            return proc
        except OSError:
            time.sleep(0.3)
    raise SystemExit("bench: gunicorn did not answer within 60 s:\n" + tail(error_log))


def tail(path: str, lines: int = 30) -> str:
    try:
        with open(path, errors="replace") as fh:
            return "".join(fh.readlines()[-lines:])
    except OSError:
        return ""
