"""Doing the task resolves its notifications: a submitted self-assessment clears "please fill
in your self-assessment" and its deadline reminders (for that person only), a submitted review
clears the reviewer's "self-assessment submitted" and, with the last review, "reviews are open"
and its reminders; a new stage ends what the previous one asked."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from apps.appraisals import services
from apps.appraisals.defaults import ensure_default_template
from apps.appraisals.models import Appraisal
from apps.appraisals.opening import appraisal_cycle_open
from apps.notifications import reminding
from apps.notifications.models import Notification

from .helpers import appraisal_of, full_scores

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 20)


def at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def open_kinds(user):
    return sorted(Notification.objects.filter(recipient=user, resolved_at__isnull=True).values_list("kind", flat=True))


@pytest.fixture
def running(org):
    ensure_default_template()
    with time_machine.travel(at(DAY), tick=False):
        cycle, _n = appraisal_cycle_open(
            code="2026Q3",
            today=DAY,
            self_deadline=DAY + timedelta(days=3),
            review_deadline=DAY + timedelta(days=10),
            calibration_deadline=DAY + timedelta(days=15),
            close_date=DAY + timedelta(days=30),
        )
        reminding.scan_all(at(DAY))
    return cycle


def test_submitting_a_self_assessment_clears_its_ask_and_reminders_for_that_person(org, running):
    staff = org["staff"]
    assert open_kinds(staff) == ["appraisals.self_open", "appraisals.stage_deadline"]
    # a colleague who is not staff's reviewer (the reviewer is told of the submission)
    colleague = Appraisal.objects.filter(cycle=running).exclude(employee__in=[staff, staff.manager]).first().employee
    before = open_kinds(colleague)
    a = appraisal_of(running, staff)
    with time_machine.travel(at(DAY, 10), tick=False):
        services.appraisal_save_self(appraisal=a, actor=staff, scores=full_scores(a), summary="总结", submit=True)
    assert open_kinds(staff) == []
    assert open_kinds(colleague) == before  # the others still have to do theirs
    # A later reminder scan does not remind the one who is done.
    reminding.scan_all(at(DAY + timedelta(days=2)))
    assert open_kinds(staff) == []


def test_saving_a_draft_clears_nothing(org, running):
    a = appraisal_of(running, org["staff"])
    with time_machine.travel(at(DAY, 10), tick=False):
        services.appraisal_save_self(appraisal=a, actor=org["staff"], scores={}, summary="草稿", submit=False)
    assert open_kinds(org["staff"]) == ["appraisals.self_open", "appraisals.stage_deadline"]


def test_the_review_clears_the_reviewers_asks_and_a_new_stage_ends_the_old_ones(org, running):
    staff, manager = org["staff"], org["manager"]
    a = appraisal_of(running, staff)
    with time_machine.travel(at(DAY, 10), tick=False):
        services.appraisal_save_self(appraisal=a, actor=staff, scores=full_scores(a), summary="总结", submit=True)
    assert "appraisals.self_submitted" in open_kinds(manager)
    # Moving to manager review ends every self-assessment ask of the cycle.
    with time_machine.travel(at(DAY + timedelta(days=4)), tick=False):
        services.cycle_transition(cycle=running, action="advance", actor=org["hr"])
    assert not Notification.objects.filter(kind="appraisals.self_open", resolved_at__isnull=True).exists()
    assert "appraisals.review_open" in open_kinds(manager)
    mine = list(Appraisal.objects.filter(cycle=running, reviewer=manager, is_excluded=False))
    for i, appraisal in enumerate(mine):
        appraisal = appraisal_of(running, appraisal.employee)
        with time_machine.travel(at(DAY + timedelta(days=5)), tick=False):
            services.appraisal_save_review(
                appraisal=appraisal, actor=manager, scores=full_scores(appraisal), summary="评语", submit=True
            )
        left = open_kinds(manager)
        assert "appraisals.self_submitted" not in left or appraisal.employee != staff
        if i < len(mine) - 1:
            assert "appraisals.review_open" in left
    assert open_kinds(manager) == []
