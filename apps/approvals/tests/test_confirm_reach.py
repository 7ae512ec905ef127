"""Decisions on the request page go through a confirm dialog that says whom they reach."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .. import selectors, services
from .conftest import user

pytestmark = pytest.mark.django_db


def dialog(html, dialog_id):
    match = re.search(rf'<div class="modal fade" id="{dialog_id}".*?</div>\s*</div></div>\s*</div>', html, re.S)
    assert match, dialog_id
    return match.group(0)


def reach_of(req, who):
    req = services.Request.objects.get(pk=req.pk)
    task = selectors.my_pending_task(req, who)
    return selectors.reach(req, task, selectors.stepper(req))


def test_each_decision_names_whom_it_reaches(org, use_flow, propose, client_for):
    use_flow(
        [
            {"name": "依次", "mode": "seq", "approvers": [user(org["manager"]), user(org["ops_head"])]},
            {"name": "会签", "mode": "all", "approvers": [user(org["hr"]), user(org["gm"])]},
        ]
    )
    req = propose()
    html = client_for(org["manager"]).get(req.get_absolute_url()).content.decode()
    approve, ret, reject = (dialog(html, f"confirm-{op}") for op in ("approve", "return", "reject"))
    assert org["ops_head"].name in approve and "1" in approve  # the next in order
    assert org["staff"].name in ret and org["staff"].name in reject  # the proposer
    assert 'data-bs-target="#confirm-return"' in html and 'data-bs-target="#confirm-approve"' in html
    # The last in order: the next stage's approvers.
    services.act(request=req, actor=org["manager"], operation="approve")
    assert sorted(reach_of(req, org["ops_head"])["approve"]) == sorted([org["hr"].name, org["gm"].name])
    services.act(request=req, actor=org["ops_head"], operation="approve")
    # 会签 with another still deciding: nobody new; the last one: the proposer hears the result.
    assert reach_of(req, org["hr"])["approve"] == []
    services.act(request=req, actor=org["hr"], operation="approve")
    assert reach_of(req, org["gm"])["approve"] == [org["staff"].name]
    # The proposer's urge reaches the pending approver.
    proposer_page = client_for(org["staff"]).get(req.get_absolute_url()).content.decode()
    assert org["gm"].name in dialog(proposer_page, "confirm-urge")


def test_the_confirm_dialogs_cost_one_query_whatever_the_stage_size(org, use_flow, propose, client_for, make_user):
    use_flow(
        [
            {"name": "负责人", "mode": "seq", "approvers": [user(org["manager"])]},
            {"name": "或签", "mode": "any", "approvers": [{"type": "role", "role": "hr"}]},
        ]
    )

    def cost(n):
        for _ in range(n):
            make_user(roles=["staff", "hr"])
        req = propose()
        client = client_for(org["manager"])
        with CaptureQueriesContext(connection) as ctx:
            client.get(req.get_absolute_url())
        return len(ctx)

    assert cost(2) == cost(20)
