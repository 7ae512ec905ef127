"""The processes' reminders, through the reminder scan: right person, right day, once."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
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

    assert {s.name for s in SOURCES} == {"processes.approvals", "processes.reviews", "processes.actions"}
    assert {"processes.approvals", "processes.reviews", "processes.actions"} <= {
        s.name for s in reminding.all_sources()
    }


# --- Processes ---------------------------------------------------------------------------


@pytest.fixture
def waiting_request(org):
    from apps.processes.models import ChangeRequest
    from apps.processes.tests.factories import change_request, published_process

    process = published_process(org["sales_dept"], user=org["ops"])
    cr = change_request(process, org["staff"], submit=True)
    monday = timezone.make_aware(datetime.combine(date(2026, 11, 16), time(10)))
    ChangeRequest.objects.filter(pk=cr.pk).update(stage_entered_at=monday)
    cr.refresh_from_db()
    assert cr.assignee == org["manager"]
    return cr


@pytest.mark.django_db
def test_an_approval_waiting_more_than_3_working_days_reminds_the_approver_once(org, waiting_request):
    reminding.scan_all(at(date(2026, 11, 19)))  # Thursday: 3 working days, not more
    assert sent("processes.approval_waiting") == 0
    for day in (date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 23)):
        reminding.scan_all(at(day))
    assert sent("processes.approval_waiting", org["manager"]) == 1
    assert sent("processes.approval_escalated") == 0


@pytest.mark.django_db
def test_after_5_working_days_the_approvers_manager_is_told(org, waiting_request):
    reminding.scan_all(at(date(2026, 11, 24)))  # Tuesday after: 6 working days
    assert sent("processes.approval_waiting", org["manager"]) == 1
    assert sent("processes.approval_escalated", org["gm"]) == 1
    reminding.scan_all(at(date(2026, 11, 25)))
    assert sent("processes.approval_escalated") == 1


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


@pytest.mark.django_db
def test_requests_waiting_for_the_operations_pool_send_each_ops_person_one_summary(org, waiting_request):
    from apps.processes.models import ChangeRequest

    ChangeRequest.objects.filter(pk=waiting_request.pk).update(status="pending_ops", assignee=None)
    reminding.scan_all(at(date(2026, 11, 23)))
    reminding.scan_all(at(date(2026, 11, 24)))
    ops_people = [org["ops"], org["ops_head"]]
    assert [sent("processes.approval_waiting", u) for u in ops_people] == [1, 1]
    assert "1" in Notification.objects.filter(recipient=org["ops"], kind="processes.approval_waiting").get().title


@pytest.mark.django_db
def test_the_home_card_lists_the_approvals_waiting_too_long(org, waiting_request):
    from apps.notifications.home import my_work

    with time_machine.travel(at(date(2026, 11, 20)), tick=False):
        (panel,) = my_work(org["manager"])
    assert waiting_request.title in [i.title for i in panel.items]
