"""The processes' reminders, through the reminder scan: right person, right day, once."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from apps.notifications import reminding
from apps.notifications.models import Notification

DAY = date(2026, 11, 20)  # a Friday


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def sent(kind, recipient=None):
    qs = Notification.objects.filter(kind=kind)
    return qs.filter(recipient=recipient).count() if recipient else qs.count()


def test_the_reminder_scan_finds_this_modules_sources():
    from apps.processes.reminders import SOURCES

    # Approvals waiting too long are the approvals engine's (apps/approvals/escalation.py).
    assert {s.name for s in SOURCES} == {"processes.reviews", "processes.actions"}
    assert {"processes.reviews", "processes.actions"} <= {s.name for s in reminding.all_sources()}


# --- Processes ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_process_reviews_and_overdue_improvement_actions_reach_their_owners(org):
    from apps.processes.models import ImprovementAction, Process, ProcessReview
    from apps.processes.tests.factories import published_process

    process = published_process(org["sales_dept"], user=org["ops"], owner=org["ops"])
    Process.objects.filter(pk=process.pk).update(next_review_date=DAY + timedelta(days=7))
    review = ProcessReview.objects.create(
        process=process,
        reviewed_on=DAY - timedelta(days=30),
        reviewer=org["ops"],
        next_review_date=DAY + timedelta(days=7),
    )
    ImprovementAction.objects.create(
        review=review, description="简化审批环节", owner=org["staff"], due_date=DAY - timedelta(days=1)
    )
    reminding.scan_all(at(DAY))
    reminding.scan_all(at(DAY))
    assert sent("processes.review_due", org["ops"]) == 1
    assert sent("processes.action_overdue", org["staff"]) == 1
    reminding.scan_all(at(DAY + timedelta(days=7)))
    assert sent("processes.review_due", org["ops"]) == 2  # on the day itself
    assert sent("processes.action_overdue", org["staff"]) == 2  # weekly while overdue
