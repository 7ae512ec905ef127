"""Overdue action items: the owner on the first working day after the due date, the owner's
manager after 3 working days; once per due date however often the scan runs; a new due date
after a reopen is a new occasion; finished actions stay quiet."""

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from apps.meetings import services
from apps.meetings.models import ActionItem
from apps.notifications.models import Notification
from apps.notifications.reminding import scan_all

pytestmark = pytest.mark.django_db
DUE = date(2026, 11, 6)  # a Friday


def scan(day: str) -> int:
    with time_machine.travel(f"{day} 09:00 +0800", tick=False):
        return scan_all(timezone.now(), only="meetings.actions")


def sent(kind):
    return list(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def action(org, meetings, today):
    return services.action_add(
        actor=org["manager"], meeting=meetings["open"], title="整理投诉清单", owner=org["staff"], due_date=DUE
    )


def test_owner_then_manager_once_each(org, action):
    assert scan("2026-11-06") == 0  # due today: not overdue
    assert scan("2026-11-07") == 0  # Saturday: the first working day after the due date is Monday
    assert scan("2026-11-09") == 1 and sent("meetings.action_overdue") == ["staff"]
    assert scan("2026-11-09") == 0 and scan("2026-11-10") == 0  # once per due date
    assert scan("2026-11-11") == 1 and sent("meetings.action_overdue_manager") == ["manager"]  # 3 working days
    assert scan("2026-11-12") == 0 and scan("2026-11-30") == 0
    assert len(sent("meetings.action_overdue")) == 1


def test_a_missed_week_sends_each_reminder_once(org, action):
    assert scan("2026-11-20") == 2  # owner and manager at once, after a long pause
    assert scan("2026-11-20") == 0


def test_a_new_due_date_is_a_new_occasion(org, action):
    scan("2026-11-09")
    with time_machine.travel("2026-11-09 10:00 +0800", tick=False):
        services.action_transition(actor=org["staff"], action=action, step="done", note="完成")
        services.action_transition(
            actor=org["manager"], action=action, step="reopen", note="补充", due_date=date(2026, 11, 13)
        )
    assert scan("2026-11-13") == 0
    assert scan("2026-11-16") == 1 and len(sent("meetings.action_overdue")) == 2


def test_finished_and_cancelled_actions_stay_quiet(org, action, meetings):
    services.action_transition(actor=org["staff"], action=action, step="done", note="完成")
    assert scan("2026-11-20") == 0
    other = services.action_add(
        actor=org["manager"], meeting=meetings["open"], title="另一项", owner=org["staff"], due_date=DUE
    )
    services.action_transition(actor=org["manager"], action=other, step="cancel", note="不再需要")
    assert scan("2026-11-20") == 0
    assert ActionItem.objects.count() == 2


def test_the_home_page_shows_my_actions_and_the_overdue_reminder(org, action, client_for):
    with time_machine.travel("2026-11-10 09:00 +0800", tick=False):
        page = client_for(org["staff"]).get("/").content.decode()
    assert page.count("整理投诉清单") >= 2  # my action items, and the reminders card
