"""Notifications tell the truth: a notification about a subject is resolved when the thing is
done, and a newer one about the same thing replaces the open one (one item per thing to do)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.notifications import reminding, selectors
from apps.notifications.models import Notification, NotificationPreference, Reminder
from apps.notifications.reminding import Due, ReminderSource
from apps.notifications.services import notify, notify_many, resolve, subject_key

from .conftest import at

TODAY = date(2026, 11, 23)
THING = ("test.thing", 7)
OTHER = ("test.thing", 8)


def open_for(user):
    return Notification.objects.filter(recipient=user, resolved_at__isnull=True)


@pytest.mark.django_db
def test_resolving_a_subject_clears_only_its_notifications_of_those_kinds_and_people(org):
    staff, manager = org["staff"], org["manager"]
    notify_many(recipients=[staff, manager], kind="test.please", title="请阅读", subject=THING)
    notify(recipient=staff, kind="test.info", title="已发布", subject=THING)
    notify(recipient=staff, kind="test.please", title="另一件", subject=OTHER)
    notify(recipient=staff, kind="test.please", title="无主题")

    assert resolve(subject=THING, kinds=["test.please"], recipients=[staff]) == 1

    assert set(open_for(staff).values_list("title", flat=True)) == {"已发布", "另一件", "无主题"}
    assert list(open_for(manager).values_list("title", flat=True)) == ["请阅读"]
    done = Notification.objects.get(recipient=staff, title="请阅读")
    assert done.resolved_at is not None and done.read_at is not None
    assert selectors.unread_count(staff) == 3
    # Resolving again changes nothing.
    assert resolve(subject=THING, kinds=["test.please"], recipients=[staff]) == 0


@pytest.mark.django_db
def test_keep_leaves_the_people_who_still_have_the_task(org):
    people = [org["staff"], org["manager"], org["hr"]]
    notify_many(recipients=people, kind="test.please", title="等待您审批", subject=THING)
    assert resolve(subject=THING, keep=[org["manager"]]) == 2
    assert list(Notification.objects.filter(resolved_at__isnull=True).values_list("recipient", flat=True)) == [
        org["manager"].pk
    ]


@pytest.mark.django_db
def test_a_newer_notification_about_the_same_thing_replaces_the_open_one(org):
    staff, manager = org["staff"], org["manager"]
    notify(recipient=staff, kind="test.please", title="请阅读 第1版", subject=THING)
    notify(recipient=manager, kind="test.please", title="请阅读 第1版", subject=THING)
    notify_many(recipients=[staff], kind="test.please", title="请阅读 第2版", subject=THING)
    assert list(open_for(staff).values_list("title", flat=True)) == ["请阅读 第2版"]
    assert list(open_for(manager).values_list("title", flat=True)) == ["请阅读 第1版"]
    assert selectors.unread_count(staff) == 1


@pytest.mark.django_db
def test_a_resolved_notification_leaves_the_digest(org):
    staff = org["staff"]
    NotificationPreference.objects.create(user=staff, kind="test.please", channel="digest")
    notify(recipient=staff, kind="test.please", title="请阅读", subject=THING)
    assert Notification.objects.get().digest_pending
    resolve(subject=THING)
    assert not Notification.objects.get().digest_pending


@pytest.mark.django_db
def test_resolving_stops_planned_reminders_about_the_thing(org, plan):
    mine = plan(org["staff"], TODAY, object_id=7)
    theirs = plan(org["manager"], TODAY, object_id=7)
    Reminder.objects.filter(pk__in=[mine.pk, theirs.pk]).update(object_type="test.thing")
    resolve(subject=THING, recipients=[org["staff"]])
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.done_at is not None and theirs.done_at is None
    assert reminding.scan_all(at(TODAY)) == 1


class Weekly(ReminderSource):
    name = "test.weekly"

    def __init__(self, recipient_id):
        self.recipient_id = recipient_id

    def scan(self, today):
        yield [Due("test.thing", 7, "test.overdue", today, self.recipient_id, f"仍未完成 {today.isoformat()}")]


@pytest.mark.django_db
def test_a_repeated_reminder_is_one_item_and_doing_the_thing_resolves_it(org, temp_source):
    temp_source(Weekly(org["staff"].pk))
    reminding.scan_all(at(TODAY))
    reminding.scan_all(at(date(2026, 11, 30)))
    assert Notification.objects.filter(recipient=org["staff"]).count() == 2
    assert list(open_for(org["staff"]).values_list("title", flat=True)) == ["仍未完成 2026-11-30"]
    resolve(subject=THING, kinds=["test.overdue"])
    assert not open_for(org["staff"]).exists()


@pytest.mark.django_db
def test_subject_key_of_a_model_and_of_a_pair(org):
    assert subject_key(org["staff"]) == ("accounts.user", org["staff"].pk)
    assert subject_key(("policies.version", "3")) == ("policies.version", 3)


@pytest.mark.django_db
def test_sending_about_a_subject_costs_one_query_more_whatever_the_number(org, make_user):
    def cost(n):
        people = [make_user() for _ in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            notify_many(recipients=people, kind="test.please", title="请阅读", subject=THING)
        return len(ctx)

    assert cost(3) == cost(30)


@pytest.mark.django_db
def test_the_list_shows_a_resolved_notification_as_done(client_for, org):
    notify(recipient=org["staff"], kind="test.please", title="请阅读", subject=THING)
    resolve(subject=THING)
    html = client_for(org["staff"]).get(reverse("notifications:list")).content.decode()
    assert "notif-done" in html and "已完成" in html
