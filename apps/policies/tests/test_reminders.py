"""The regulations' reminders, through the reminder scan: right person, right day, once."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from apps.notifications import reminding
from apps.notifications.models import Notification
from apps.scheduling.runner import run_job

DAY = date(2026, 11, 20)  # a Friday


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def sent(kind, recipient=None):
    qs = Notification.objects.filter(kind=kind)
    return qs.filter(recipient=recipient).count() if recipient else qs.count()


def test_the_reminder_scan_finds_this_modules_sources():
    from apps.policies.reminders import SOURCES

    assert {s.name for s in SOURCES} == {"policies.review", "policies.acknowledgement"}
    assert {"policies.review", "policies.acknowledgement"} <= {s.name for s in reminding.all_sources()}


# --- Regulations ---------------------------------------------------------------------------


@pytest.fixture
def policy(org):
    from apps.policies.tests.factories import make_published

    return make_published(org=org).policy  # owned by the sales department: its head is `manager`


@pytest.mark.django_db
def test_a_regulation_review_is_announced_30_and_7_days_before_and_on_the_day_to_its_owner(org, policy):
    from apps.policies.models import Policy

    review = DAY + timedelta(days=30)
    Policy.objects.filter(pk=policy.pk).update(next_review_date=review)
    for day, expected in [
        (DAY - timedelta(days=1), 0),
        (DAY, 1),
        (DAY + timedelta(days=5), 1),
        (review - timedelta(days=7), 2),
        (review, 3),
        (review, 3),
    ]:
        reminding.scan_all(at(day))
        assert sent("policies.review_due", org["manager"]) == expected, day
    assert sent("policies.review_due") == 3


@pytest.mark.django_db
def test_an_overdue_review_is_sent_weekly_to_the_owner_and_the_owners_manager(org, policy):
    from apps.policies.models import Policy

    Policy.objects.filter(pk=policy.pk).update(next_review_date=DAY - timedelta(days=17))
    reminding.scan_all(at(DAY))
    reminding.scan_all(at(DAY + timedelta(days=1)))
    assert sent("policies.review_overdue", org["manager"]) == 1 and sent("policies.review_overdue", org["gm"]) == 1
    reminding.scan_all(at(DAY + timedelta(days=7)))
    assert sent("policies.review_overdue", org["manager"]) == 2


@pytest.mark.django_db
def test_an_open_acknowledgement_reminds_after_7_days_and_tells_the_manager_after_14(org, policy):
    from apps.policies import services
    from apps.policies.models import PolicyVersion

    policy.refresh_from_db()
    version = policy.current_version
    published = timezone.make_aware(datetime.combine(DAY, time(10)))
    PolicyVersion.objects.filter(pk=version.pk).update(ack_scope="everyone", published_at=published)
    version.refresh_from_db()
    services.acknowledge(user=org["outsider"], version=version)
    reminding.scan_all(at(DAY + timedelta(days=6)))
    assert sent("policies.ack_reminder") == 0
    reminding.scan_all(at(DAY + timedelta(days=7)))
    assert sent("policies.ack_reminder", org["staff"]) == 1
    assert sent("policies.ack_reminder", org["outsider"]) == 0  # confirmed already
    reminding.scan_all(at(DAY + timedelta(days=14)))
    reminding.scan_all(at(DAY + timedelta(days=15)))
    assert sent("policies.ack_reminder", org["staff"]) == 1
    report = Notification.objects.get(kind="policies.ack_overdue_report", recipient=org["manager"])
    assert "1" in report.title and policy.title in report.title  # staff reports to manager
    assert sent("policies.ack_overdue_report", org["ops_head"]) == 1  # ops reports to ops_head (outsider confirmed)


@pytest.mark.django_db
def test_future_versions_are_published_by_the_scheduled_job(org):
    run = run_job("policies.publish_due")
    assert run.outcome == "ok"


@pytest.mark.django_db
def test_the_home_card_lists_the_regulations_to_review(org, policy):
    from apps.notifications.home import my_work
    from apps.policies.models import Policy

    Policy.objects.filter(pk=policy.pk).update(next_review_date=timezone.localdate() - timedelta(days=3))
    (panel,) = my_work(org["manager"])
    titles = [i.title for i in panel.items]
    assert policy.title in titles
