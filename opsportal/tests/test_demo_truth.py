"""The demo tells the truth on any day: after seed_demo on a pinned day and the first reminder
runs, every notification's link opens for its recipient (200), every "my work" item of each
demo login opens, and no deadline announced as ahead is in the past. The reminders come from
the modules' sources run on the demo's own data; nothing is a fixed text.

It crosses every module, so it lives with the project (engines import no domain app)."""

import io
import re
from datetime import date, datetime, time

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.core.plugins import home_panels
from apps.notifications.models import Notification, Reminder
from apps.scheduling.runner import run_job

pytestmark = pytest.mark.django_db(transaction=False)

LOGINS = ("admin", "ops", "hr", "gm", "manager", "staff")
# Kinds that announce a date still ahead ("due on …").
AHEAD_KINDS = ("appraisals.stage_deadline", "policies.review_due", "processes.review_due")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
OVERDUE = re.compile("逾期|overdue", re.IGNORECASE)


def opens(client, user, url) -> int:
    client.force_login(user)
    return client.get(url, follow=True).status_code


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 10, 9),  # three days before the running cycle's self-assessment deadline
        date(2027, 1, 1),  # New Year's Day: a year the holiday package does not know
        date(2028, 2, 29),  # a leap day
    ],
)
def test_every_demo_reminder_and_home_item_is_true_on_the_day(settings, day):
    settings.DEBUG = True
    with time_machine.travel(timezone.make_aware(datetime.combine(day, time(10))), tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        now = timezone.now()
        run_job("kpis.remind_missing_figures", now=now)
        run_job("reminders.scan", now=now)
        users = {u.username: u for u in get_user_model().objects.filter(username__in=LOGINS)}
        assert not Reminder.objects.exists()  # no fixed text planted by the demo
        client = Client()
        notes = Notification.objects.exclude(url="").select_related("recipient").order_by("pk")
        assert notes.filter(recipient__username__in=LOGINS).exists()
        seen = set()
        for note in notes:
            mine = note.recipient.username in LOGINS
            if note.url in seen and not mine:
                continue
            seen.add(note.url)
            assert opens(client, note.recipient, note.url) == 200, (note.kind, note.url, note.recipient.username)
        for note in Notification.objects.filter(kind__in=AHEAD_KINDS, resolved_at__isnull=True):
            for found in ISO_DATE.findall(note.title):
                # A date in the past is only ever announced as overdue.
                assert date.fromisoformat(found) >= day or OVERDUE.search(note.title), (note.kind, note.title)
        for username, user in users.items():
            client.force_login(user)
            assert client.get("/").status_code == 200
            for panel in home_panels(user):
                for item in panel.items:
                    assert opens(client, user, item.url) == 200, (username, panel.key, item.url)
                    if "/appraisals/" in item.url and ISO_DATE.fullmatch(item.badge or ""):
                        assert date.fromisoformat(item.badge) >= day, (username, item.title, item.badge)
