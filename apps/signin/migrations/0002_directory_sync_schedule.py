"""Beat rows of the sign-in jobs. The directory sync (02:30) does nothing unless
DIRECTORY_SYNC=1 and LDAP_URL are set (off by default), so the row can stay enabled like
every other job's; the sign-in log is pruned at 03:40. Times are editable in admin."""

import json

from django.conf import settings
from django.db import migrations

TASK = "scheduling.run_job"
SCHEDULE = [
    ("signin.directory_sync", ("30", "2"), "Sync people with the company directory (does nothing unless DIRECTORY_SYNC=1)."),
    ("signin.prune_events", ("40", "3"), "Forget sign-in log rows older than SIGNIN_LOG_DAYS."),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (minute, hour), description in SCHEDULE:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE
        )
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={"task": TASK, "args": json.dumps([name]), "crontab": crontab, "description": description},
        )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[n for n, *_ in SCHEDULE], task=TASK
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("signin", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
