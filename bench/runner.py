"""`make bench` (python -m bench): scale data, gunicorn as in production, locust per page.

Steps: bench database (created, migrated; scale data generated when missing or out of
date) → static files collected into a temp STATIC_ROOT → one session per bench login →
gunicorn (DEBUG off, whitenoise + manifest, 2 × cores sync workers) on 127.0.0.1 →
the load generator process (locust) page by page → jobs in a child process → table,
findings, bench/results.json. Every child is stopped on the way out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import db, report, server

BASE_DIR = Path(__file__).resolve().parent.parent
PY = sys.executable


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--quick", action="store_true", help="short run (under three minutes with data in place)")
    p.add_argument("--regenerate", action="store_true", help="rebuild the scale data even if it is current")
    p.add_argument(
        "--reuse-data",
        action="store_true",
        help="keep the scale data in place even if a generator changed since it was built",
    )
    p.add_argument("--users", type=int, default=3, help="concurrent users per page (default 3)")
    p.add_argument("--seconds", type=float, help="measured seconds per page (default 15, quick: fitted)")
    p.add_argument(
        "--warmup", type=float, help="warm-up seconds per page (default 3, quick 0.3; slow pages warm longer)"
    )
    p.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn workers (2 × cores)")
    p.add_argument("--pages", default="", help="only pages whose name contains this text (floor always runs)")
    p.add_argument("--no-jobs", action="store_true", help="skip the jobs")
    p.add_argument("--mixed-users", type=int, default=40, help="people in the mixed scenario (0: none)")
    p.add_argument("--mixed-seconds", type=float, help="measured seconds of the mixed scenario (default 60, quick 15)")
    return p.parse_args(argv)


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def run_step(cmd: list[str], env: dict, timeout: float, what: str) -> int:
    log(f"{what} …")
    started = time.monotonic()
    proc = server.spawn(cmd, env=env, cwd=BASE_DIR)
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.stop(proc)
        raise SystemExit(f"bench: {what} took longer than {timeout:.0f} s") from None
    log(f"{what}: {time.monotonic() - started:.1f} s" + (f" (exit {code})" if code else ""))
    return code


def prepare_data(args, env: dict, url: str) -> None:
    if db.ensure_database(url):
        log(f"created database {db.db_name(url)}")
    if run_step([PY, "manage.py", "migrate", "--noinput", "-v0"], env, 900, "migrate"):
        raise SystemExit("bench: migrate failed")
    wanted = db.wanted_marker(sizes=[])
    current = db.read_marker(url)
    reasons = ["--regenerate"] if args.regenerate else db.marker_differences(current, wanted)
    if reasons and args.reuse_data and current is not None and not args.regenerate:
        log("scale data is older than its generators (" + ", ".join(reasons[:3]) + "); reused (--reuse-data)")
        return
    if not reasons:
        log("scale data is current (marker matches); --regenerate rebuilds it")
        return
    log("generating scale data: " + ", ".join(reasons[:5]))
    code = run_step([PY, "manage.py", "generate_scale_data", "--reset"], env, 1200, "generate_scale_data")
    if code:
        log("WARNING: some scale data failed (see above); measuring what is there")
    db.write_marker(url, {**wanted, "exit": code})


def create_sessions(users: dict) -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    keys = {}
    for role, user in users.items():
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        # The portal's own password backend (sign-in replaced ModelBackend): a session naming a
        # backend that is not configured is anonymous, and every page would redirect to log in.
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys[role] = session.session_key
    return keys


def delete_sessions(keys: dict[str, str]) -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=list(keys.values())).delete()


def plan_load(args, pages: list[dict]) -> tuple[float, float]:
    """(warm-up, measured) seconds per page."""
    if args.quick:  # about 70 s of load in all, whatever the number of pages
        per_page = min(5.0, max(1.0, 70.0 / max(1, len(pages))))
        warmup = args.warmup if args.warmup is not None else 0.3
        return warmup, args.seconds or per_page - warmup
    return (args.warmup if args.warmup is not None else 3.0), (args.seconds or 15.0)


THINK = (0.2, 0.8)  # seconds between two pages of one person in the mixed scenario


def mixed_plan(args, mix: list[dict], sessions: dict) -> dict | None:
    if not mix or args.mixed_users <= 0:
        return None
    seconds = args.mixed_seconds or (15.0 if args.quick else 60.0)
    return {
        "users": args.mixed_users,
        "think": THINK,
        "warmup": 3.0 if args.quick else 10.0,
        "seconds": seconds,
        "requests": [{**m, "cookie": f"sessionid={sessions[m['role']]}"} for m in mix],
    }


def run_load(args, pages: list[dict], sessions: dict, port: int, tmp: Path, mixed: dict | None = None) -> dict:
    warmup, seconds = plan_load(args, pages)
    plan = {
        "base": f"http://127.0.0.1:{port}",
        "users": args.users,
        "warmup": warmup,
        "seconds": seconds,
        "prime": 2.0 if args.quick else 5.0,
        "warmup_requests": args.workers if args.quick else args.workers + args.users,
        "warmup_max": 2.0 if args.quick else 10.0,
        "min_requests": 3 if args.quick else 30,
        # QUICK: slow pages may take longer only while the whole load stays within ~110 s.
        "budget": max(110.0, len(pages) * (warmup + seconds) + 20) if args.quick else None,
        "max_seconds": max(seconds, 3.0 if args.quick else 60.0),
        "pages": [
            {"idx": i, "name": p["name"], "path": p["path"], "cookie": f"sessionid={sessions[p['role']]}"}
            for i, p in enumerate(pages)
        ],
    }
    plan["mixed"] = mixed
    plan_path, out_path = tmp / "plan.json", tmp / "load.json"
    plan_path.write_text(json.dumps(plan))
    budget = len(pages) * (max(warmup, plan["warmup_max"]) + plan["max_seconds"] + 3) + 60
    if mixed:
        budget += mixed["warmup"] + mixed["seconds"] + 30
    log(
        f"load: {len(pages)} pages × ({warmup:g} s warm-up + {seconds:.1f} s), {args.users} users, "
        f"about {len(pages) * (warmup + seconds) / 60:.1f} min"
    )
    started = time.monotonic()
    proc = server.spawn([PY, "-m", "bench.loadgen", str(plan_path), str(out_path)], cwd=BASE_DIR)
    try:
        proc.wait(timeout=budget)
    except subprocess.TimeoutExpired:
        log(f"WARNING: the load generator ran over {budget:.0f} s; stopped")
        server.stop(proc)
    log(f"load: {time.monotonic() - started:.0f} s")
    if not out_path.exists():
        return {}
    return {r["idx"]: r for r in json.loads(out_path.read_text())}


def _read_line(fd: int, pending: bytes, limit: float) -> tuple[str, bytes, bool]:
    """(line, rest, timed_out) from a pipe without Python's buffering, so select() sees
    every line the child wrote; an empty line means the child closed its end."""
    while b"\n" not in pending:
        ready, _, _ = select.select([fd], [], [], max(0.0, limit - time.monotonic()))
        if not ready:
            return "", pending, True
        chunk = os.read(fd, 65536)
        if not chunk:
            return pending.decode(errors="replace"), b"", False
        pending += chunk
    line, _, rest = pending.partition(b"\n")
    return line.decode(errors="replace") + "\n", rest, False


def run_jobs(args, env: dict) -> list[dict]:
    per_job, total = (25.0, 40.0) if args.quick else (180.0, 900.0)
    deadline = time.monotonic() + total
    results: list[dict] = []
    skip = count = 0
    while True:
        proc = server.spawn(
            [PY, "-m", "bench.jobs", "--skip", str(skip)], env=env, cwd=BASE_DIR, stdout=subprocess.PIPE, bufsize=0
        )
        current, started, finished, pending = None, time.monotonic(), False, b""
        while True:
            limit = min(deadline, started + per_job) if current else deadline
            line, pending, timed_out = _read_line(proc.stdout.fileno(), pending, limit)
            if timed_out:  # over the job's (or the whole run's) limit
                server.stop(proc, grace=3)
                if current is not None:
                    results.append(
                        {"name": f"{current['name']} (TIMEOUT > {per_job:.0f} s)", "seconds": None, "items": None}
                    )
                    log(f"job {current['name']}: stopped after {per_job:.0f} s")
                    skip = current["index"] + 1
                break
            if not line:  # the child ended (or crashed)
                proc.wait()
                if current is not None:
                    results.append(
                        {
                            "name": f"{current['name']} (ERROR: jobs process exited {proc.returncode})",
                            "seconds": None,
                            "items": None,
                        }
                    )
                finished = True
                break
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if msg["kind"] == "start":
                current, started = msg, time.monotonic()
            elif msg["kind"] == "done":
                results.append(
                    {
                        "name": msg["name"] + (f" (ERROR {msg['error']})" if msg.get("error") else ""),
                        "seconds": round(msg["seconds"], 3) if msg["seconds"] is not None else None,
                        "items": msg["items"],
                    }
                )
                log(f"job {msg['name']}: {msg['seconds'] or 0:.2f} s, {msg['items']} items")
                current = None
            elif msg["kind"] == "count":
                count = msg["count"]
            elif msg["kind"] == "error":
                results.append({"name": msg["name"], "seconds": None, "items": None})
            elif msg["kind"] == "end":
                proc.wait()
                finished = True
                break
        if finished or time.monotonic() >= deadline or current is None:
            break
    ran = sum(1 for r in results if "bench.py ERROR" not in r["name"])
    if count > ran:
        results.append(
            {"name": f"{count - ran} more jobs not run (time budget {total:.0f} s)", "seconds": None, "items": None}
        )
        log(results[-1]["name"])
    return results


def measure(args, env: dict, tmp: Path) -> None:
    import django

    django.setup()
    from .discover import ALWAYS, BARE, FLOOR, bench_context, collect_pages, mixed_pages

    ctx = bench_context()
    missing = {"staff", "manager", "hr", "ops", "admin", "gm"} - set(ctx["users"])
    if missing:
        raise SystemExit(f"bench: bench logins missing ({sorted(missing)}): run with --regenerate")
    pages = collect_pages(ctx)
    if args.pages:
        mix = mixed_pages(pages)
        pages = [p for p in pages if p["name"] in ALWAYS or args.pages in p["name"]]
    else:
        mix = mixed_pages(pages)
    measurable = [p for p in pages if not p.get("error")]
    for p in pages:
        if p.get("error"):
            log(f"ERROR {p['name']}")
    sessions = create_sessions(ctx["users"])
    try:
        access_log, error_log = str(tmp / "access.log"), str(tmp / "server.log")
        load_before = os.getloadavg()[0]
        port = server.free_port()
        log(f"gunicorn: {args.workers} workers on 127.0.0.1:{port}")
        gunicorn = server.start_gunicorn(port, args.workers, env, access_log, error_log)
        mixed = mixed_plan(args, mix, sessions)
        load = run_load(args, measurable, sessions, port, tmp, mixed)
        server.stop(gunicorn)
    finally:
        delete_sessions(sessions)
    times = report.server_times(access_log)
    rows = []
    for p in pages:
        idx = measurable.index(p) if p in measurable else None
        row = report.page_figures(p, load.get(idx) if idx is not None else None, times.get(idx, []))
        row["peer"] = p.get("peer")
        if load.get(idx, {}).get("errors"):
            log(f"{p['name']}: " + "; ".join(f"{m} ×{n}" for m, n in load[idx]["errors"].items()))
        rows.append(row)
    floor = next((r for r in rows if r["name"] == FLOOR["name"]), None)
    if floor and floor["p95_ms"]:
        for r in rows:
            if r["p95_ms"] is not None:
                r["x_floor"] = round(r["p95_ms"] / floor["p95_ms"], 2)
    summary: dict = {}
    bare = next((r for r in rows if r["name"] == BARE["name"]), None)
    if floor and bare and floor["p95_ms"] and bare["p95_ms"]:
        summary.update(
            floor_p95_ms=floor["p95_ms"],
            bare_p95_ms=bare["p95_ms"],
            floor_x_bare=round(floor["p95_ms"] / bare["p95_ms"], 2),
        )
    if mixed and load.get("mix"):
        figures = report.page_figures({"name": "mixed"}, load["mix"], times.get("mix", []))
        summary["mixed"] = {
            "users": mixed["users"],
            "think": list(mixed["think"]),
            "seconds": mixed["seconds"],
            "pages": [m["name"] for m in mixed["requests"]],
            "requests": load["mix"]["requests"],
            **{k: figures.get(k) for k in ("rps", "p50_ms", "p95_ms", "p99_ms", "errors")},
        }
        if load["mix"].get("errors"):
            log("mixed: " + "; ".join(f"{m} ×{n}" for m, n in load["mix"]["errors"].items()))
    if any(r.get("errors") for r in rows):
        log("server log (last lines):\n" + server.tail(error_log, 40))
    started = time.monotonic()
    jobs = [] if args.no_jobs else run_jobs(args, env)
    if jobs:
        log(f"jobs: {time.monotonic() - started:.0f} s")
    from django.db import connection

    pg = connection.pg_version  # e.g. 150020
    machine = report.machine(f"PostgreSQL {pg // 10000}.{pg % 10000}", load_before)
    report.write_results(rows, jobs, machine, summary)
    text = report.table(rows, jobs, summary)
    print()
    print(text)
    run = "QUICK run (a few samples a page: p95 is close to the maximum)" if args.quick else "full run"
    if not args.pages and report.write_readme(
        text, f"Measured {report.datetime.now(report.UTC):%Y-%m-%d}, {run}, on {machine}."
    ):
        log("README: performance table updated")
    print()
    notes = report.findings(rows)
    print("Findings:" if notes else "Findings: none (every page within 2× the floor and faster than its peer)")
    for note in notes:
        print(f"  - {note}")
    print(f"\nWrote {report.RESULTS.relative_to(BASE_DIR)}")


def static_root() -> Path:
    """A temp STATIC_ROOT named after the static sources: collected (and compressed) once,
    reused while nothing under static/ or apps/*/static/ or requirements.txt changes."""
    digest = hashlib.sha1((BASE_DIR / "requirements.txt").read_bytes())
    for root in [BASE_DIR / "static", *sorted(BASE_DIR.glob("apps/*/static"))]:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                st = path.stat()
                digest.update(f"{path.relative_to(BASE_DIR)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return Path(tempfile.gettempdir()) / f"opsportal-bench-static-{digest.hexdigest()[:16]}"


def collect_static(env: dict) -> None:
    root = Path(env["BENCH_STATIC_ROOT"])
    if (root / "staticfiles.json").exists():  # the manifest is written last
        log(f"static files already collected in {root}")
        return
    shutil.rmtree(root, ignore_errors=True)
    if run_step([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env, 600, "collectstatic"):
        shutil.rmtree(root, ignore_errors=True)
        raise SystemExit("bench: collectstatic failed")
    for old in root.parent.glob("opsportal-bench-static-*"):
        if old != root:
            shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not os.environ.get("DATABASE_URL") and not os.environ.get("BENCH_IN_DEVSTACK"):
        # No servers named: run this same command inside the embedded PostgreSQL/Redis.
        env = {**os.environ, "BENCH_IN_DEVSTACK": "1"}
        cmd = [PY, "-m", "opsportal.devstack", "--", PY, "-m", "bench", *(sys.argv[1:] if argv is None else argv)]
        return subprocess.call(cmd, env=env, cwd=BASE_DIR)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    started = time.monotonic()
    url = db.bench_database_url()
    tmp = Path(tempfile.mkdtemp(prefix="opsportal-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "STATIC_MANIFEST": "1",
        "BENCH_STATIC_ROOT": str(static_root()),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "CACHE_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "bench"),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    try:
        log(f"database {db.db_name(url)}, {'quick' if args.quick else 'full'} run")
        prepare_data(args, env, url)
        collect_static(env)
        measure(args, env, tmp)
    finally:
        server.stop_all()
        shutil.rmtree(tmp, ignore_errors=True)
    log(f"done in {time.monotonic() - started:.0f} s")
    return 0
