"""Reminder keys: each (object, kind, due date, recipient) is sent once, whatever happens."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_noop

from apps.notifications import reminding
from apps.notifications.models import Notification, OutboundEmail, SentReminder
from apps.notifications.reminding import Due, ReminderSource
from apps.scheduling.runner import run_job

from .conftest import at

TODAY = date(2026, 11, 23)


@pytest.mark.django_db
def test_a_due_reminder_is_sent_once_however_often_the_scan_runs(org, plan):
    plan(org["staff"], TODAY)
    assert reminding.scan_all(at(TODAY)) == 1
    assert reminding.scan_all(at(TODAY)) == 0
    assert reminding.scan_all(at(TODAY, 17)) == 0
    assert Notification.objects.filter(recipient=org["staff"]).count() == 1
    assert SentReminder.objects.count() == 1


@pytest.mark.django_db
def test_a_reminder_not_yet_due_is_not_sent_and_a_closed_one_never(org, plan):
    from apps.notifications.services import close_reminders

    future = plan(org["staff"], TODAY + timedelta(days=1))
    done = plan(org["manager"], TODAY)
    close_reminders(object_type=done.object_type, object_id=done.object_id)
    assert reminding.scan_all(at(TODAY)) == 0
    assert reminding.scan_all(at(future.due_date)) == 1


@pytest.mark.django_db
def test_the_reminder_scan_job_run_twice_sends_nothing_twice(org, plan):
    plan(org["staff"], date.today())
    plan(org["manager"], date.today())
    first, second = run_job("reminders.scan"), run_job("reminders.scan")
    assert (first.outcome, first.items, second.outcome, second.items) == ("ok", 2, "ok", 0)
    assert Notification.objects.count() == 2


class WeeklyOverdue(ReminderSource):
    """Like "policy review overdue, weekly": one occasion per week since the due date."""

    name = "test.weekly"

    def __init__(self, recipient_id, due):
        self.recipient_id, self.due = recipient_id, due

    def scan(self, today):
        if today > self.due:
            weeks = (today - self.due).days // 7
            occasion = self.due + timedelta(days=7 * weeks)
            yield [
                Due(
                    "test.policy",
                    1,
                    "policies.review_overdue",
                    occasion,
                    self.recipient_id,
                    gettext_noop("Regulation review overdue"),
                    params={},
                )
            ]


@pytest.mark.django_db
def test_after_a_missed_week_the_scan_sends_what_is_due_once_not_seven_times(org, temp_source, plan):
    due = TODAY - timedelta(days=21)  # three weeks overdue today
    temp_source(WeeklyOverdue(org["ops"].pk, due))
    for d in range(7):
        plan(org["staff"], TODAY - timedelta(days=d))  # a week of daily reminders piled up
    sent = reminding.scan_all(at(TODAY))
    assert sent == 7 + 1  # each planned day once, and the overdue item once (this week's occasion)
    assert Notification.objects.filter(recipient=org["ops"]).count() == 1
    assert reminding.scan_all(at(TODAY + timedelta(days=3))) == 0  # same week: nothing new
    assert reminding.scan_all(at(TODAY + timedelta(days=7))) == 1  # next week: the weekly reminder


@pytest.mark.django_db
def test_reminder_texts_are_written_in_the_recipients_language(org, temp_source):
    staff, ops = org["staff"], org["ops"]
    staff.preferred_language = "en"
    staff.save()

    class Both(ReminderSource):
        name = "test.lang"

        def scan(self, today):
            yield [
                Due("x", 1, "policies.review_overdue", today, u.pk, gettext_noop("Notifications"), params={})
                for u in (staff, ops)
            ]

    temp_source(Both())
    reminding.scan_all(at(TODAY))
    assert Notification.objects.get(recipient=staff).title == "Notifications"
    assert Notification.objects.get(recipient=ops).title == "通知"


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_the_same_moment_send_each_reminder_once(org, plan):
    for i in range(50):
        plan(org["staff"] if i % 2 else org["manager"], TODAY)
    barrier = threading.Barrier(2)
    results = []

    def scan():
        try:
            with transaction.atomic():  # no job lock here: only the unique key protects us
                barrier.wait()
                results.append(reminding.scan_all(at(TODAY)))
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results)[1] == 50 and sum(results) == 50
    assert Notification.objects.count() == 50 and SentReminder.objects.count() == 50


@pytest.mark.django_db
def test_the_scan_costs_a_constant_number_of_queries_per_batch(org, plan, monkeypatch):
    monkeypatch.setattr(reminding, "BATCH_SIZE", 10)
    users = [org["staff"], org["manager"], org["ops"], org["hr"]]

    def queries_for(n):
        SentReminder.objects.all().delete()
        Notification.objects.all().delete()
        OutboundEmail.objects.all().delete()
        from apps.notifications.models import Reminder

        Reminder.objects.all().delete()
        for i in range(n):
            plan(users[i % 4], TODAY, object_id=i + 1)
        with CaptureQueriesContext(connection) as ctx, transaction.atomic():
            sent = reminding.scan_all(at(TODAY), only="reminders.planned")
        assert sent == n
        return len(ctx.captured_queries)

    two_batches, six_batches = queries_for(20), queries_for(60)
    per_batch = (six_batches - two_batches) / 4
    assert per_batch <= 7, (two_batches, six_batches)
    assert two_batches <= 2 * 7 + 3


@pytest.mark.django_db
def test_a_reminder_for_an_inactive_person_is_recorded_but_not_mailed(org, plan):
    staff = org["staff"]
    staff.is_active = False
    staff.save()
    plan(staff, TODAY)
    assert reminding.scan_all(at(TODAY)) == 1
    assert OutboundEmail.objects.count() == 0


@pytest.mark.django_db
def test_a_scan_with_nothing_due_costs_a_few_queries_per_source(org, django_assert_max_num_queries):
    sources = reminding.all_sources()
    with django_assert_max_num_queries(3 * len(sources)):
        assert reminding.scan_all(at(TODAY)) == 0


@pytest.mark.django_db
def test_a_source_naming_nobody_or_a_deleted_person_does_not_break_the_scan(org, temp_source, plan):
    class Sloppy(ReminderSource):
        name = "test.sloppy"

        def scan(self, today):
            yield [
                Due("x", 1, "reminders.planned", today, None, "无人"),
                Due("x", 2, "reminders.planned", today, 987654321, "已删除"),
                Due("x", 3, "reminders.planned", today, org["staff"].pk, "正常"),
            ]

    temp_source(Sloppy())
    assert reminding.scan_all(at(TODAY)) == 1
    assert Notification.objects.get().title == "正常"


def test_the_scan_runs_every_source_the_apps_declare_in_their_reminders_plugin():
    from apps.core.plugins import app_modules

    declared = {s.name for module in app_modules("reminders") for s in module.SOURCES}
    assert "reminders.planned" in declared and len(declared) > 1
    assert declared <= {s.name for s in reminding.all_sources()}
