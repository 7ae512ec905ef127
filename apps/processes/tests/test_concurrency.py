"""Two operations approvers deciding the 或签 stage at the same moment, on two real database
connections: one decision, and the other is told who decided."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from apps.approvals import services as approvals

from .. import services
from ..models import ChangeRequest
from .factories import change_request

S = ChangeRequest.Status


@pytest.mark.django_db(transaction=True)
def test_two_ops_approvers_at_once_give_one_decision_and_a_clear_message(org, sales_process):
    cr = change_request(sales_process, org["staff"], submit=True)
    cr = services.change_request_transition(cr=cr, user=org["manager"], action="approve")
    request = services.approval_of(cr)
    seen = request.version
    barrier = threading.Barrier(2)
    results = {}

    def decide(who, operation):
        translation.activate("en")
        try:
            barrier.wait(timeout=10)
            approvals.act(request=request, actor=org[who], operation=operation, opinion="意见", seen_version=seen)
            results[who] = "ok"
        except approvals.ApprovalError as exc:
            results[who] = str(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("ops", "approve")),
        threading.Thread(target=decide, args=("ops_head", "reject")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(v == "ok" for v in results.values()) == [False, True]
    winner = next(w for w, v in results.items() if v == "ok")
    loser_message = next(v for v in results.values() if v != "ok")
    assert org[winner].name in loser_message and "not recorded" in loser_message
    cr.refresh_from_db()
    assert cr.status == (S.APPROVED if winner == "ops" else S.REJECTED)
    assert (
        request.events.filter(operation__in=["approve", "reject"], actor__in=[org["ops"], org["ops_head"]]).count() == 1
    )
    sales_process.refresh_from_db()
    assert sales_process.versions.count() == (2 if winner == "ops" else 1)
