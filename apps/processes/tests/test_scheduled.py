"""The state-based queries the scheduler calls, the scale generator and the demo seed."""

import datetime
import random

import pytest
import time_machine
from django.utils import timezone

from apps.scheduling.calendar import add_working_days

from .. import services
from ..models import ChangeRequest, ImprovementAction, Process
from ..selectors import actions_overdue, approvals_overdue, reviews_due
from .factories import change_request, published_process

pytestmark = pytest.mark.django_db


def test_working_days_skip_the_weekend():
    monday = datetime.date(2026, 11, 23)
    assert add_working_days(monday, -1) == datetime.date(2026, 11, 20)  # the Friday before
    assert add_working_days(monday, -3) == datetime.date(2026, 11, 18)


# Ten calendar days are not always more than 3 working days (Spring Festival, National Day week).
@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_approvals_overdue_lists_what_waited_too_long_at_its_stage(org, sales_process):
    fresh = change_request(sales_process, org["staff"], submit=True)
    old = change_request(sales_process, org["staff"], submit=True)
    ChangeRequest.objects.filter(pk=old.pk).update(stage_entered_at=timezone.now() - datetime.timedelta(days=10))
    today = timezone.localdate()
    assert list(approvals_overdue(today=today)) == [old]
    # idempotent: asking twice gives the same answer; deciding removes it
    assert list(approvals_overdue(today=today)) == [old]
    services.change_request_transition(cr=old, user=org["manager"], action="approve")
    old.refresh_from_db()
    assert old not in approvals_overdue(today=today)
    assert fresh not in approvals_overdue(today=today + datetime.timedelta(days=1))


def test_reviews_due_and_actions_overdue(org, sales_process):
    today = timezone.localdate()
    Process.objects.filter(pk=sales_process.pk).update(next_review_date=today - datetime.timedelta(days=1))
    retired = published_process(
        org["sales_dept"], status=Process.Status.RETIRED, next_review_date=today - datetime.timedelta(days=1)
    )
    assert list(reviews_due(today=today)) == [sales_process]
    assert retired not in reviews_due(today=today)
    review = services.review_record(
        process=sales_process,
        reviewer=org["ops"],
        reviewed_on=today,
        findings="x",
        next_review_date=today + datetime.timedelta(days=100),
        actions=[{"description": "a", "owner": org["staff"], "due_date": today - datetime.timedelta(days=2)}],
    )
    assert sales_process not in reviews_due(today=today)
    action = review.actions.get()
    assert list(actions_overdue(today=today)) == [action]
    services.action_complete(action=action, user=org["staff"])
    assert not actions_overdue(today=today).exists()
    assert ImprovementAction.objects.get().done_at is not None


def test_scale_generator_makes_requests_in_every_state(org):
    import io

    from apps.departments.models import Department

    from .. import scale

    depts = list(Department.objects.values_list("pk", flat=True))
    users = [u.pk for u in org.values() if hasattr(u, "username")]
    ctx = {
        "rng": random.Random(1),
        "today": timezone.localdate(),
        "department_ids": depts,
        "user_ids": users,
        "heads": {d.pk: d.head_id for d in Department.objects.all()},
        "manager_of": {},
        "bench_users": {"manager": "manager", "ops": "ops", "staff": "staff", "gm": "gm"},
        "stdout": io.StringIO(),
        "timings": [],
    }
    scale.generate(ctx, {"processes": 12, "change_requests": 120})
    assert Process.objects.count() == 12
    assert set(ChangeRequest.objects.values_list("status", flat=True)) == set(ChangeRequest.Status.values)
    big = Process.objects.get(code="SC-P00002")
    assert big.current_version.steps.count() == 60
    approved = ChangeRequest.objects.filter(status="approved").first()
    assert approved.events.filter(action="publish").exists()


def test_demo_seed_is_idempotent(db):
    import io

    from apps.departments import demo as org_demo

    from .. import demo

    def seed():
        ctx = {"today": timezone.localdate(), "stdout": io.StringIO()}
        org_demo.seed(ctx)
        demo.seed(ctx)

    seed()
    counts = (Process.objects.count(), ChangeRequest.objects.count())
    assert counts[0] >= 15
    assert set(ChangeRequest.objects.values_list("status", flat=True)) == set(ChangeRequest.Status.values)
    seed()
    assert (Process.objects.count(), ChangeRequest.objects.count()) == counts
