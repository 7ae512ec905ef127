"""The nightly rebuild of people's search documents (apps/search/jobs.py), at 03:30.
Editable in admin; never overwrites an edited row."""

import json

from django.conf import settings
from django.db import migrations

TASK = "scheduling.run_job"
NAME = "search.refresh_people"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "args": json.dumps([NAME]),
            "crontab": crontab,
            "description": "Rebuild the search documents of people.",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME, task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_statistics"), ("scheduling", "0003_module_schedule")]
    operations = [migrations.RunPython(create, remove)]
