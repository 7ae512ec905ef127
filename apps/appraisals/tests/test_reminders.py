"""The appraisals' reminders and jobs: stage deadlines announced once, cycles opened and moved on."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from apps.notifications import reminding
from apps.notifications.models import Notification, SentReminder
from apps.scheduling.runner import run_job

DAY = date(2026, 11, 20)  # a Friday


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def sent(kind, recipient=None):
    qs = Notification.objects.filter(kind=kind)
    return qs.filter(recipient=recipient).count() if recipient else qs.count()


def test_the_reminder_scan_finds_this_modules_sources():
    from apps.appraisals.reminders import SOURCES

    assert {s.name for s in SOURCES} == {"appraisals.deadlines"}
    assert {"appraisals.deadlines"} <= {s.name for s in reminding.all_sources()}


# --- Appraisals ----------------------------------------------------------------------------


@pytest.fixture
def deadline_cycle(org):
    from apps.appraisals.defaults import ensure_default_template
    from apps.appraisals.opening import appraisal_cycle_open

    ensure_default_template()
    cycle, _n = appraisal_cycle_open(
        code="2026Q3",
        today=DAY,
        notify=False,
        self_deadline=DAY + timedelta(days=3),
        review_deadline=DAY + timedelta(days=10),
        calibration_deadline=DAY + timedelta(days=15),
        close_date=DAY + timedelta(days=30),
    )
    return cycle


@pytest.mark.django_db
def test_a_self_assessment_deadline_is_announced_3_days_and_1_day_before(org, deadline_cycle):
    reminding.scan_all(at(DAY - timedelta(days=1)))
    assert sent("appraisals.stage_deadline") == 0
    reminding.scan_all(at(DAY))
    first = sent("appraisals.stage_deadline", org["staff"])
    reminding.scan_all(at(DAY + timedelta(days=1)))
    reminding.scan_all(at(DAY + timedelta(days=2)))
    reminding.scan_all(at(DAY + timedelta(days=2)))
    assert (first, sent("appraisals.stage_deadline", org["staff"])) == (1, 2)


@pytest.mark.django_db
def test_reviewers_who_have_not_reviewed_hear_once_with_the_number_waiting(org, deadline_cycle):
    from apps.appraisals.models import Cycle, Stage

    Cycle.objects.filter(pk=deadline_cycle.pk).update(stage=Stage.REVIEW, review_deadline=DAY + timedelta(days=1))
    reminding.scan_all(at(DAY))
    reminding.scan_all(at(DAY))
    note = Notification.objects.get(kind="appraisals.stage_deadline", recipient=org["manager"])
    assert note.title.startswith("1 ") or "1" in note.title  # staff is the manager's only report
    assert (
        SentReminder.objects.filter(kind="appraisals.stage_deadline").count()
        == Notification.objects.filter(kind="appraisals.stage_deadline").count()
    )


@pytest.mark.django_db
def test_the_appraisal_jobs_open_the_previous_quarter_and_move_stages_on(org):
    from apps.appraisals.defaults import ensure_default_template
    from apps.appraisals.models import Cycle

    ensure_default_template()
    assert run_job("appraisals.open_previous_quarter", now=at(date(2026, 10, 1))).items == 0  # National Day
    run = run_job("appraisals.open_previous_quarter", now=at(date(2026, 10, 8)))  # the first working day
    assert run.outcome == "ok" and run.items > 0 and Cycle.objects.filter(code="2026Q3").exists()
    assert run_job("appraisals.open_previous_quarter", now=at(date(2026, 10, 9))).items == 0
    cycle = Cycle.objects.get(code="2026Q3")
    moved = run_job("appraisals.advance_due_stages", now=at(cycle.self_deadline + timedelta(days=1)))
    assert moved.outcome == "ok" and moved.items >= 1
    cycle.refresh_from_db()
    assert cycle.stage != "self"
