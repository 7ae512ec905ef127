"""Running a job: a JobRun row records it; the job's own writes happen in one transaction
under a per-job advisory lock, so a killed worker leaves nothing half-done and two runs at
once take turns (the second finds nothing left to do)."""

import logging
import time
import traceback
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from . import registry
from .models import JobRun

log = logging.getLogger("apps.scheduling")
TASK_NAME = "scheduling.run_job"


def _backend_pid() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        return cur.fetchone()[0]


def _lock(name: str) -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"job:{name}"])


def _mark_interrupted(run: JobRun) -> None:
    """Earlier runs of this job still 'running' whose database session is gone died with
    their worker; their transaction was rolled back, so they did nothing."""
    JobRun.objects.filter(name=run.name, outcome=JobRun.Outcome.RUNNING, started_at__lte=run.started_at).exclude(
        pk=run.pk
    ).extra(where=["NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = scheduling_jobrun.backend_pid)"]).update(
        outcome=JobRun.Outcome.INTERRUPTED, finished_at=timezone.now()
    )


def run_job(name: str, *, now: datetime | None = None) -> JobRun:
    job = registry.get(name)
    run = JobRun.objects.create(name=name, started_at=timezone.now(), backend_pid=_backend_pid())
    started = time.monotonic()
    try:
        if job.atomic:
            with transaction.atomic():
                _lock(name)
                items = job.func(now or timezone.now())
        else:
            items = job.func(now or timezone.now())
    except Exception:
        run.outcome = JobRun.Outcome.FAILED
        run.error = traceback.format_exc()[-20000:]
        log.exception("job %s failed", name)
    else:
        run.outcome = JobRun.Outcome.OK
        run.items = int(items or 0)
    run.finished_at = timezone.now()
    run.duration = round(time.monotonic() - started, 3)
    run.save(update_fields=["outcome", "error", "items", "finished_at", "duration"])
    _mark_interrupted(run)
    if run.outcome == JobRun.Outcome.FAILED:
        log.warning("job %s failed after %.1fs", name, run.duration)
    return run
