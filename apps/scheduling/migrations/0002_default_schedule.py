"""The beat schedule of the framework's jobs (rows editable in admin afterwards; re-running
this migration never overwrites an edited row). Times are the portal's time zone.

reminders.scan runs every 15 minutes: it is state-based and cheap when nothing is new, and
people hear about what became due the same morning. `seed_demo` (DEBUG only) switches it to
every minute so a demo shows reminders arriving at once.
"""

import json

from django.conf import settings
from django.db import migrations

TASK = "scheduling.run_job"
# name, (minute, hour, day_of_week), description
SCHEDULE = [
    ("reminders.scan", ("*/15", "*", "*"), "Send every reminder that is due and not yet sent (all sources)."),
    ("notifications.deliver_pending", ("*", "*", "*"), "Retry outgoing mail that is still pending."),
    ("notifications.daily_digest", ("0", "8", "*"), "Mail each person one digest of their digest notifications."),
    ("scheduling.prune_runs", ("30", "3", "*"), "Forget job runs and sent mail older than 90 days."),
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
    dependencies = [
        ("scheduling", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
