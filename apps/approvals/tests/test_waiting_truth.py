""" "Waiting for you" tells the truth: after every operation in every mode, exactly the people
with a task pending have an open "waiting for your approval" notification about the request,
one each, however many times they were asked; the proposer's "returned to you" is resolved by
resubmitting."""

import pytest

from apps.notifications.models import Notification

from .. import services
from ..models import Task
from .conftest import user
from .test_engine import TABLE, act, pending

pytestmark = pytest.mark.django_db


def waiting(req):
    rows = Notification.objects.filter(
        subject_type="approvals.request",
        subject_id=req.pk,
        kind__in=services.WAITING_KINDS,
        resolved_at__isnull=True,
    ).values_list("recipient__username", flat=True)
    return sorted(rows)


@pytest.mark.parametrize(("mode", "operation", "status", "expected", "tasks"), TABLE)
def test_after_each_operation_only_the_people_still_asked_have_it_waiting(
    org, use_flow, propose, mode, operation, status, expected, tasks
):
    use_flow([{"name": "审批", "mode": mode, "approvers": [user(org["manager"]), user(org["ops_head"])]}])
    req = propose()
    assert waiting(req) == pending(req)
    req = act(req, org["manager"], operation, target=org["hr"])
    assert pending(req) == expected
    assert waiting(req) == expected


def test_or_sign_approval_clears_it_for_every_approver_it_was_waiting_on(org, use_flow, propose):
    use_flow([{"name": "或签", "mode": "any", "approvers": [user(org[u]) for u in ("manager", "ops_head", "hr")]}])
    req = propose()
    assert waiting(req) == ["hr", "manager", "opshead"]
    act(req, org["hr"], "approve")
    assert waiting(req) == []
    resolved = Notification.objects.filter(subject_id=req.pk, kind="approvals.task", resolved_at__isnull=False)
    assert resolved.count() == 3 and all(n.read_at for n in resolved)


def test_urging_twice_and_a_new_submission_leave_one_item_per_approver(org, use_flow, propose):
    use_flow([{"name": "负责人", "mode": "seq", "approvers": [user(org["manager"])]}])
    req = propose()
    act(req, org["staff"], "urge", opinion="请尽快")
    req = act(req, org["manager"], "return", opinion="补充预算")
    assert waiting(req) == []
    returned = Notification.objects.get(recipient=org["staff"], kind="approvals.decided", subject_id=req.pk)
    assert returned.resolved_at is None
    obj = services.kind_for(req.kind).get_object(req.object_id)
    req = services.submit(kind=req.kind, obj=obj, proposer=org["staff"], title=req.title)
    returned.refresh_from_db()
    assert returned.resolved_at is not None  # resubmitting is what it asked for
    assert waiting(req) == ["manager"]
    open_tasks = Notification.objects.filter(recipient=org["manager"], subject_id=req.pk, resolved_at__isnull=True)
    assert open_tasks.count() == 1


def test_withdrawing_clears_it_for_the_approvers(org, use_flow, propose):
    use_flow([{"name": "会签", "mode": "all", "approvers": [user(org["manager"]), user(org["hr"])]}])
    req = propose()
    act(req, org["staff"], "withdraw")
    assert waiting(req) == [] and not Task.objects.filter(request=req, status=Task.Status.PENDING).exists()
