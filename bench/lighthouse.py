"""`make lighthouse` (python -m bench.lighthouse): Lighthouse's mobile profile on the main pages.

The bench's data and serving (its database, gunicorn with DEBUG off, whitenoise with the
manifest and compressed files, a session per role written into the session store), then
Lighthouse (from the npm registry, pinned in the Makefile) drives Debian's chromium
(/usr/bin/chromium, never a downloaded browser) over each page with its default mobile
settings: a mid-range phone on slow 4G, simulated. Performance score and first contentful
paint per page go to the screen and bench/lighthouse.json.

    python -m bench.lighthouse [--pages TEXT] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from . import db, report, runner, server

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "lighthouse.json"
LIGHTHOUSE = os.environ.get("LIGHTHOUSE") or str(BASE_DIR / "var/lighthouse/node_modules/.bin/lighthouse")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The main pages: (name of a bench page, or a path with its role)
MAIN = [
    "floor",
    "home (staff)",
    "policy list",
    "long policy detail",
    "process catalogue",
    "process page with diagram",
    "kpi overview as staff",
    "my appraisals",
    "notifications (",
    "search: 2 characters (",
]
TARGET_SCORE, TARGET_FCP_MS = 98, 1500


def log(message: str) -> None:
    print(f"[lighthouse] {message}", flush=True)


def audit(url: str, cookie: str, out: Path) -> dict:
    cmd = [
        LIGHTHOUSE,
        url,
        "--quiet",
        "--only-categories=performance",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-path={CHROMIUM}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--extra-headers=" + json.dumps({"Cookie": cookie}),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    if proc.returncode or not out.exists():
        return {"error": (proc.stderr or proc.stdout or f"exit {proc.returncode}").strip()[-300:]}
    data = json.loads(out.read_text())
    audits = data["audits"]
    score = data["categories"]["performance"]["score"]
    return {
        "score": round(score * 100) if score is not None else None,
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "bytes": audits["total-byte-weight"]["numericValue"],
        "final_url": data.get("finalDisplayedUrl") or data.get("finalUrl"),
    }


def table(rows: list[dict]) -> str:
    out = [
        "| page | role | performance (mobile) | FCP ms | LCP ms | TBT ms | CLS | KiB transferred |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        if r.get("error"):
            out.append(f"| {r['name']} | {r['role']} | ERROR: {r['error'][:80]} | | | | | |")
            continue
        out.append(
            f"| {r['name']} | {r['role']} | {r['score']} | {r['fcp_ms']} | {r['lcp_ms']} | {r['tbt_ms']} | "
            f"{r['cls']} | {r['bytes'] / 1024:.0f} |"
        )
    return "\n".join(out)


def measure(args, env: dict) -> list[dict]:
    import django

    django.setup()
    from .discover import bench_context, collect_pages

    ctx = bench_context()
    pages = collect_pages(ctx)
    chosen = []
    for prefix in MAIN:
        page = next((p for p in pages if p["name"].startswith(prefix) and not p.get("error")), None)
        if page and (not args.pages or args.pages in page["name"]):
            chosen.append(page)
    sessions = runner.create_sessions(ctx["users"])
    tmp = Path(tempfile.mkdtemp(prefix="opsportal-lighthouse-"))
    rows = []
    try:
        port = server.free_port()
        gunicorn = server.start_gunicorn(port, args.workers, env, str(tmp / "access.log"), str(tmp / "server.log"))
        for page in chosen:
            url = f"http://127.0.0.1:{port}{page['path']}"
            cookie = f"sessionid={sessions[page['role']]}"
            runs = [audit(url, cookie, tmp / f"lh-{len(rows)}-{i}.json") for i in range(args.runs)]
            good = [r for r in runs if not r.get("error")]
            # the median run by score (Lighthouse's own advice for noisy machines)
            best = sorted(good, key=lambda r: (r["score"] or 0, -r["fcp_ms"]))[len(good) // 2] if good else runs[0]
            row = {"name": page["name"], "role": page["role"], "path": page["path"], **best}
            if row.get("final_url") and not row["final_url"].endswith(page["path"]):
                row["error"] = f"ended at {row['final_url']} (not signed in?)"
            rows.append(row)
            log(
                f"{page['name']}: "
                + (row["error"] if row.get("error") else f"performance {row['score']}, FCP {row['fcp_ms']} ms")
            )
        server.stop(gunicorn)
    finally:
        runner.delete_sessions(sessions)
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.lighthouse", description=__doc__)
    p.add_argument("--pages", default="", help="only main pages whose name contains this text")
    p.add_argument("--runs", type=int, default=3, help="runs per page; the median is kept (default 3)")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    if not Path(LIGHTHOUSE).exists():
        raise SystemExit(f"lighthouse: {LIGHTHOUSE} missing (make lighthouse installs it from the npm registry)")
    if not os.environ.get("DATABASE_URL") and not os.environ.get("BENCH_IN_DEVSTACK"):
        env = {**os.environ, "BENCH_IN_DEVSTACK": "1"}
        py = sys.executable
        cmd = [py, "-m", "opsportal.devstack", "--", py, "-m", "bench.lighthouse", *sys.argv[1:]]
        return subprocess.call(cmd, env=env, cwd=BASE_DIR)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    url = db.bench_database_url()
    if db.read_marker(url) is None:
        raise SystemExit("lighthouse: no bench data yet; run `make bench` (QUICK=1 is enough) first")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "STATIC_MANIFEST": "1",
        "BENCH_STATIC_ROOT": str(runner.static_root()),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "CACHE_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "bench"),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    started = time.monotonic()
    try:
        runner.collect_static(env)
        rows = measure(args, env)
    finally:
        server.stop_all()
    text = table(rows)
    print()
    print(text)
    scored = [r for r in rows if not r.get("error")]
    missed = [r["name"] for r in scored if r["score"] < TARGET_SCORE or r["fcp_ms"] >= TARGET_FCP_MS]
    print(
        f"\nTarget: performance ≥ {TARGET_SCORE} and FCP < {TARGET_FCP_MS} ms: "
        + (("missed by " + ", ".join(missed)) if missed else f"met by all {len(scored)} pages")
    )
    RESULTS.write_text(
        json.dumps(
            {
                "machine": report.machine(),
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "profile": "Lighthouse default mobile (simulated slow 4G, 4× CPU slowdown)",
                "pages": rows,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    log(f"wrote {RESULTS.relative_to(BASE_DIR)} in {time.monotonic() - started:.0f} s")
    return 1 if any(r.get("error") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
