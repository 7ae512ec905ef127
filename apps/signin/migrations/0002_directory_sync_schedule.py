"""The directory sync's beat row: nightly at 02:30. The job itself does nothing unless
DIRECTORY_SYNC=1 and LDAP_URL are set (off by default), so the row can stay enabled like
every other job's; the time is editable in admin "Periodic tasks"."""

import json

from django.conf import settings
from django.db import migrations

NAME = "signin.directory_sync"
TASK = "scheduling.run_job"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "args": json.dumps([NAME]),
            "crontab": crontab,
            "description": "Sync people with the company directory (does nothing unless DIRECTORY_SYNC=1).",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME, task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [("signin", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
