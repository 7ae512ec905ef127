"""Runs the apps' bench jobs in a child process, one after another, and reports each as a
JSON line on stdout. The parent (bench.runner) enforces the time limits: a job over its
limit is killed with this process, and a new one resumes after it with --skip.

    python -m bench.jobs [--skip N]
"""

import json
import sys
import time
import traceback


def emit(kind: str, **data) -> None:
    print(json.dumps({"kind": kind, **data}, ensure_ascii=False), flush=True)


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from .discover import bench_context, collect_jobs

    skip = int(argv[argv.index("--skip") + 1]) if "--skip" in argv else 0
    ctx = bench_context()
    jobs, errors = collect_jobs(ctx)
    if skip == 0:
        for label, message in errors:
            emit("error", name=f"{label} bench.py ERROR: {message}"[:300])
    emit("count", count=len(jobs))
    for index, (_label, job) in enumerate(jobs):
        if index < skip:
            continue
        emit("start", index=index, name=job["name"])
        started = time.perf_counter()
        try:
            items = job["run"]()
            emit("done", index=index, name=job["name"], seconds=time.perf_counter() - started, items=int(items or 0))
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            emit("done", index=index, name=job["name"], seconds=None, items=None, error=repr(exc)[:200])
    emit("end")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
