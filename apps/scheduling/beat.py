"""The beat schedule, built from the jobs' declarations (`@job(..., schedule="0 8 * * *")` in
each app's jobs.py) in this one place.

`sync_schedule()` runs after every `migrate` (post_migrate, see apps.py) and on demand
(`manage.py sync_schedule`). It is idempotent: each scheduled job gets one django-celery-beat
PeriodicTask row named after it, created when missing and brought in line with the
declaration (schedule, description) when it differs. The code owns the schedule; the
administrator owns `enabled` (switched in admin, never touched here). Rows of this runner for
jobs that no longer exist are deleted, so beat never sends a name nobody runs; a job declared
without a schedule is left as it is."""

import json

from django.conf import settings
from django.db import transaction
from django.utils import translation

from . import registry
from .runner import TASK_NAME


@transaction.atomic
def sync_schedule() -> dict[str, list[str]]:
    """Returns the names created, updated and deleted (for the command and the tests)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks

    jobs = {j.name: j for j in registry.all_jobs() if j.schedule}
    existing = {t.name: t for t in PeriodicTask.objects.select_related("crontab").filter(name__in=jobs)}
    changes: dict[str, list[str]] = {"created": [], "updated": [], "deleted": []}
    for name, job in jobs.items():
        crontab, _ = CrontabSchedule.objects.get_or_create(**job.crontab, timezone=settings.TIME_ZONE)
        wanted = {
            "task": TASK_NAME,
            "args": json.dumps([name]),
            "crontab": crontab,
            "interval": None,
            "solar": None,
            "clocked": None,
            "description": _untranslated(job.description),
        }
        row = existing.get(name)
        if row is None:
            PeriodicTask.objects.create(name=name, **wanted)
            changes["created"].append(name)
            continue
        differs = [field for field, value in wanted.items() if getattr(row, field) != value]
        if differs:
            for field in differs:
                setattr(row, field, wanted[field])
            row.save(update_fields=differs)
            changes["updated"].append(name)
    # Only names no code registers: a row for a job declared without a schedule (on demand)
    # may have been scheduled by hand and stays.
    orphans = PeriodicTask.objects.filter(task=TASK_NAME).exclude(name__in=[j.name for j in registry.all_jobs()])
    changes["deleted"] = sorted(orphans.values_list("name", flat=True))
    if changes["deleted"]:
        orphans.delete()
    if any(changes.values()):
        PeriodicTasks.update_changed()  # a running beat reloads its schedule
    return changes


def _untranslated(text) -> str:
    """The description as written (English): the row must not change with the language of
    whoever ran migrate. Admin shows the job's translated description from the registry."""
    with translation.override(None):
        return str(text)
