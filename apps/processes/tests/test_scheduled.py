"""The state-based queries the scheduler calls, the scale generator and the demo seed."""

import datetime
import random

import pytest
from django.utils import timezone

from .. import services
from ..models import ChangeRequest, ImprovementAction, Process
from ..selectors import actions_overdue, reviews_due
from .factories import published_process

pytestmark = pytest.mark.django_db


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
    assert services.approval_of(approved).events.filter(operation="finish").exists()
    from apps.approvals.models import Request, Task

    assert Request.objects.filter(kind="processes.change").count() == ChangeRequest.objects.count()
    waiting = Request.objects.filter(kind="processes.change", status="pending")
    assert waiting.count() == ChangeRequest.objects.filter(status="pending").count()
    assert all(Task.objects.filter(stage=r.current_stage, status="pending").exists() for r in waiting)


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
