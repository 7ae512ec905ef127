"""The beat schedule of the modules' jobs (apps/scheduling/jobs.py). Daily, early: publishing
and stage moves just after midnight so the day starts with them done; opening a quarter's
cycle at 06:00 (the service itself waits for the first working day); the KPI chase at 09:00,
after the night. Editable in admin; never overwrites an edited row."""

import json

from django.conf import settings
from django.db import migrations

TASK = "scheduling.run_job"
SCHEDULE = [
    ("policies.publish_due", ("5", "0", "*"), "Publish approved regulation versions whose effective date has come."),
    ("appraisals.advance_due_stages", ("15", "0", "*"), "Move appraisal cycles on when a stage deadline has passed."),
    ("appraisals.open_previous_quarter", ("0", "6", "*"), "Open the previous quarter's appraisal cycle (first working day)."),
    ("kpis.remind_missing_figures", ("0", "9", "*"), "Remind the responsible person of missing indicator figures."),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (minute, hour, dow), description in SCHEDULE:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week=dow, day_of_month="*", month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={
            "task": TASK, "args": json.dumps([name]), "crontab": crontab, "description": description,
        })


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[n for n, *_ in SCHEDULE], task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0002_default_schedule")]
    operations = [migrations.RunPython(create, remove)]
