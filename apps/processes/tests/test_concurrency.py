"""Two approvers deciding at the same moment, on two real database connections."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from .. import services
from ..models import ChangeRequest
from .factories import change_request

S = ChangeRequest.Status


@pytest.mark.django_db(transaction=True)
def test_two_ops_approvers_at_once_give_one_decision_and_a_clear_message(org, sales_process):
    cr = change_request(sales_process, org["staff"], submit=True)
    cr = services.change_request_transition(cr=cr, user=org["manager"], action="approve")
    assert cr.status == S.PENDING_OPS
    revision = cr.revision
    barrier = threading.Barrier(2)
    results = {}

    def decide(who, action):
        translation.activate("en")
        try:
            barrier.wait(timeout=10)
            services.change_request_transition(
                cr=cr,
                user=org[who],
                action=action,
                comment="意见",
                expected_revision=revision,
                expected_status=S.PENDING_OPS,
            )
            results[who] = "ok"
        except services.AlreadyDecided as exc:
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
    decisions = cr.events.filter(from_status=S.PENDING_OPS, action__in=["approve", "reject"])
    assert decisions.count() == 1
    sales_process.refresh_from_db()
    assert sales_process.versions.count() == (2 if winner == "ops" else 1)
