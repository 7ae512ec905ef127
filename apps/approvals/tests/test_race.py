"""Fifty approvers clicking "approve" on one 或签 stage at the same moment, each on its own
database connection: one decision, 49 clear refusals."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from .. import services
from ..models import Event, Request
from .conftest import user

CLICKS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_approvals_give_one_decision(org, use_flow, propose, make_user, memo_kind):
    approvers = [make_user(username=f"approver{i}") for i in range(CLICKS)]
    use_flow([{"name": "或签", "mode": "any", "approvers": [user(a) for a in approvers]}])
    req = propose()
    seen = req.version
    barrier = threading.Barrier(CLICKS)
    results = {}

    def click(person):
        translation.activate("en")
        try:
            barrier.wait(timeout=30)
            services.act(request=req, actor=person, operation="approve", opinion="同意", seen_version=seen)
            results[person.pk] = "ok"
        except services.ApprovalError as exc:
            results[person.pk] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(a,)) for a in approvers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert len(results) == CLICKS
    winners = [pk for pk, v in results.items() if v == "ok"]
    assert len(winners) == 1
    assert all("not recorded" in v for v in results.values() if v != "ok")
    req.refresh_from_db()
    assert req.status == Request.Status.APPROVED
    assert req.events.filter(operation=Event.Operation.APPROVE).count() == 1
    assert memo_kind.calls == [("approved", req.object_id)]
