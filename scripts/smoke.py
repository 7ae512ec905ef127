"""`make smoke`: the embedded stack from nothing, end to end.

Starts an embedded PostgreSQL and Redis in a fresh temporary folder (DATABASE_URL and
REDIS_URL are ignored on purpose), migrates, starts the web server, a Celery worker and
beat exactly as `make run` does (one Procfile under honcho), waits until /healthz reports
database, redis and a live worker, checks that the login page renders, then stops it all
and checks that nothing is left running. Exits non-zero on any failure.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
TIMEOUT = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def fail(message: str) -> None:
    print(f"smoke: FAIL: {message}", file=sys.stderr)
    raise SystemExit(1)


def main() -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="opsportal-smoke-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {
            "OPSPORTAL_VAR_DIR": str(var_dir),
            "OPSPORTAL_PORT": str(port),
            "DEBUG": "1",
            "CELERY_QUEUE": f"smoke-{port}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    script = f"{PY} manage.py migrate --noinput -v 0 && exec {ROOT}/.venv/bin/honcho -f Procfile start"
    log_path = var_dir / "smoke.log"
    log = open(log_path, "w")
    print(f"smoke: starting the embedded stack in {var_dir} on port {port}")
    stack = subprocess.Popen(
        [PY, "-m", "opsportal.devstack", "--", "sh", "-c", script],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        health = None
        while time.monotonic() < deadline:
            if stack.poll() is not None:
                fail(f"the stack exited early ({stack.returncode}); see the log:\n{log_path.read_text()[-8000:]}")
            try:
                status, body = get(f"http://127.0.0.1:{port}/healthz")
                health = json.loads(body)
                if status == 200:
                    break
            except (OSError, ValueError):
                pass
            time.sleep(1)
        else:
            fail(f"/healthz not ok within {TIMEOUT} s: {health}\n{log_path.read_text()[-3000:]}")
        print(f"smoke: /healthz ok: {health}")
        status, body = get(f"http://127.0.0.1:{port}/accounts/login/")
        if status != 200 or 'name="password"' not in body or "运营管理门户" not in body:
            fail(f"the login page did not render (HTTP {status})")
        print("smoke: the login page renders")
    finally:
        if stack.poll() is None:
            os.killpg(stack.pid, signal.SIGINT)  # what Ctrl-C does
            try:
                stack.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(stack.pid, signal.SIGKILL)
                fail("the stack did not stop within 60 s of Ctrl-C")
        log.close()
    leftovers = subprocess.run(["pgrep", "-f", str(var_dir)], capture_output=True, text=True).stdout.split()
    if leftovers:
        fail(f"processes still running after stop: {leftovers}")
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        fail(f"port {port} still answers after stop")
    except OSError:
        pass
    print("smoke: everything stopped cleanly")
    shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
