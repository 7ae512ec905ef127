"""The bench database: its own database on the same server as DATABASE_URL (or the
embedded one), created when missing, with a marker (the database's COMMENT) saying which
scale data it holds so the data is generated only when it is missing or out of date."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import environ
import psycopg2
from psycopg2 import sql

BASE_DIR = Path(__file__).resolve().parent.parent
MARKER_VERSION = 1


def bench_database_url() -> str:
    """DATABASE_URL (or the embedded server's URL) with the database name replaced."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        import sys

        from opsportal.settings import EMBEDDED_DATABASE_URL

        base = EMBEDDED_DATABASE_URL
        # Settings read the environment once: load them afresh when Django starts here,
        # after the bench's DATABASE_URL is set.
        sys.modules.pop("opsportal.settings", None)
    name = os.environ.get("BENCH_DB_NAME", "opsportal_bench")
    return urlunsplit(urlsplit(base)._replace(path="/" + name))


def _connect(url: str, dbname: str | None = None):
    cfg = environ.Env.db_url_config(url)
    conn = psycopg2.connect(
        dbname=dbname or cfg["NAME"],
        user=cfg.get("USER") or None,
        password=cfg.get("PASSWORD") or None,
        host=unquote(cfg.get("HOST") or "") or None,
        port=cfg.get("PORT") or None,
    )
    conn.autocommit = True
    return conn


def db_name(url: str) -> str:
    return environ.Env.db_url_config(url)["NAME"]


def ensure_database(url: str) -> bool:
    """Create the bench database when it does not exist; True if it was created."""
    conn = _connect(url, "postgres")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name(url)])
            if cur.fetchone():
                return False
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name(url))))
            return True
    finally:
        conn.close()


def read_marker(url: str) -> dict | None:
    conn = _connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
            )
            row = cur.fetchone()
            cur.execute("SELECT to_regclass('accounts_user') IS NOT NULL")
            has_users = cur.fetchone()[0]
            bench_users = 0
            if has_users:
                cur.execute("SELECT count(*) FROM accounts_user WHERE username LIKE 'bench-%%'")
                bench_users = cur.fetchone()[0]
    finally:
        conn.close()
    try:
        marker = json.loads(row[0]) if row and row[0] else None
    except ValueError:
        return None
    # The marker only counts if the rows it describes are still there.
    if marker is None or bench_users < 6:
        return None
    return marker


def write_marker(url: str, marker: dict) -> None:
    conn = _connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                sql.SQL("COMMENT ON DATABASE {} IS %s").format(sql.Identifier(db_name(url))),
                [json.dumps(marker, sort_keys=True)],
            )
    finally:
        conn.close()


def wanted_marker(sizes: list[str]) -> dict:
    """What the data should have been generated from: the generator code of every app
    (a new or changed scale.py means new data) and the size flags."""
    files = sorted(BASE_DIR.glob("apps/*/scale*.py")) + [
        BASE_DIR / "apps/core/management/commands/generate_scale_data.py"
    ]
    digest = {str(p.relative_to(BASE_DIR)): hashlib.sha1(p.read_bytes()).hexdigest()[:12] for p in files}
    return {"version": MARKER_VERSION, "code": digest, "sizes": sizes}


def marker_differences(current: dict | None, wanted: dict) -> list[str]:
    if current is None:
        return ["no scale data yet"]
    reasons = []
    if current.get("version") != wanted["version"] or current.get("sizes") != wanted["sizes"]:
        reasons.append("different sizes")
    old, new = current.get("code", {}), wanted["code"]
    for path in sorted(set(old) | set(new)):
        if old.get(path) != new.get(path):
            reasons.append(f"{path} {'added' if path not in old else 'removed' if path not in new else 'changed'}")
    return reasons
