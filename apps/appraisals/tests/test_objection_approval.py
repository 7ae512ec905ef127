"""Objections on the approvals engine: HR decides on the request page, the employee may
withdraw, and nobody resolves their own objection (four eyes)."""

import pytest
from django.urls import reverse

from apps.approvals import services as approvals
from apps.approvals.models import Task

from .. import services
from ..models import Status
from .helpers import appraisal_of, publish, review_all

pytestmark = pytest.mark.django_db


def objected(org, cycle, who="staff"):
    review_all(cycle)
    publish(cycle, org["hr"])
    a = appraisal_of(cycle, org[who])
    return services.appraisal_object(appraisal=a, actor=org[who], reason="评分偏低")


def test_hr_accepts_on_the_request_page(org, cycle, client_for):
    a = objected(org, cycle)
    req = services.objection_request(a)
    assert set(Task.objects.filter(request=req, status="pending").values_list("assignee__username", flat=True)) == {
        "hr",
        "admin",
    }
    client_for(org["hr"]).post(
        reverse("approvals:act", args=[req.pk]),
        {"operation": "approve", "opinion": "复核后维持，已说明", "seen_version": req.version},
    )
    a.refresh_from_db()
    assert (a.status, a.objection_resolution) == (Status.RESOLVED, "复核后维持，已说明")
    assert client_for(org["staff"]).get(req.get_absolute_url()).status_code == 200
    assert client_for(org["outsider"]).get(req.get_absolute_url()).status_code == 404


def test_hr_rejects_and_the_result_stands(org, cycle):
    a = objected(org, cycle)
    grade = a.final_grade
    approvals.act(request=services.objection_request(a), actor=org["hr"], operation="reject", opinion="依据充分")
    a.refresh_from_db()
    assert a.status == Status.RESOLVED and a.final_grade == grade and "依据充分" in a.objection_resolution


def test_the_employee_withdraws(org, cycle):
    a = objected(org, cycle)
    approvals.act(request=services.objection_request(a), actor=org["staff"], operation="withdraw", opinion="已沟通")
    a.refresh_from_db()
    assert a.status == Status.PUBLISHED


def test_four_eyes_hr_never_resolves_their_own_objection(org, cycle, client_for):
    a = objected(org, cycle, who="hr")
    req = services.objection_request(a)
    waiting = set(Task.objects.filter(request=req, status="pending").values_list("assignee__username", flat=True))
    assert "hr" not in waiting and waiting
    with pytest.raises(approvals.ApprovalError):
        approvals.act(request=req, actor=org["hr"], operation="approve", opinion="我同意我自己")
    page = client_for(org["hr"]).get(a.get_absolute_url())
    assert not page.context["can_resolve"]
    client_for(org["hr"]).post(
        reverse("appraisals:resolve", args=[a.pk]), {"resolution": "自己处理", "final_grade": "excellent"}
    )
    a.refresh_from_db()
    assert a.status == Status.OBJECTED and a.final_grade != "excellent"
