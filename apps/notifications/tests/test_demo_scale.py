"""The demo sets the reminder scan to every minute in DEBUG, plants no reminder of its own
(the modules' sources remind from the demo's data), and does not mail the modules' seed-time
history; scale data and bench entries work on a small company."""

import io
import random
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from apps.notifications import bench, scale
from apps.notifications.models import Notification, OutboundEmail, Reminder
from apps.scheduling.runner import run_job

pytestmark = pytest.mark.django_db


def _module_history(ctx):
    """Stands in for a module seeded between notifications and scheduling: it notifies
    people as it builds its demo history."""
    from django.contrib.auth import get_user_model

    from apps.notifications.services import notify_many

    people = get_user_model().objects.filter(username__in=["staff", "manager"])
    notify_many(recipients=people, kind="demo.history", title="《员工手册》已发布")


def seed(settings, monkeypatch):
    from apps.core.management.commands import seed_demo
    from apps.departments import demo as org_demo
    from apps.notifications import demo as notifications_demo

    settings.DEBUG = True
    module = SimpleNamespace(seed=_module_history)
    monkeypatch.setattr(seed_demo, "app_modules", lambda name: [org_demo, notifications_demo, module])
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_scans_every_minute_plants_no_fixed_reminder_and_does_not_mail_its_history(settings, monkeypatch):
    seed(settings, monkeypatch)
    assert not Reminder.objects.exists()  # no fixed text about things that may not exist
    assert Notification.objects.filter(kind="demo.history").count() == 2
    assert not OutboundEmail.objects.filter(status="pending").exists()  # seed-time history is not mailed
    assert PeriodicTask.objects.get(name="reminders.scan").crontab.minute == "*"
    assert run_job("reminders.scan").outcome == "ok"
    seed(settings, monkeypatch)
    assert not Reminder.objects.exists()


def test_scale_data_makes_open_reminder_items_and_a_long_notification_history(org):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    User = get_user_model()
    bench_staff = org["staff"]
    ctx = {
        "rng": random.Random(1),
        "today": timezone.localdate(),
        "user_ids": list(User.objects.values_list("pk", flat=True)),
        "bench_users": {"staff": bench_staff.username},
        "stdout": io.StringIO(),
        "timings": [],
    }
    scale.generate(ctx, {"reminder_items": 300, "bench_notifications": 120})
    assert Reminder.objects.filter(done_at=None).count() == 300
    assert Notification.objects.filter(recipient=bench_staff).count() == 120
    bench_ctx = {"bench_users": {"staff": bench_staff.username}}
    (job,) = bench.jobs(bench_ctx)
    assert job["run"]() == 300
    assert job["run"]() == 300  # repeatable: it rolls back
    assert Notification.objects.filter(recipient=bench_staff).count() == 120
    assert all(p["role"] == "staff" for p in bench.pages(bench_ctx))
