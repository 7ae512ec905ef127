"""The scale data the bench measures: an inbox with waiting and finished requests, a request
with a 30-entry timeline; the bench pages open on it."""

import random

import pytest
from django.urls import reverse

from .. import bench, scale
from ..models import Request, Task

pytestmark = pytest.mark.django_db


def test_scale_data_and_bench_pages(org, memo_kind, client_for):
    ctx = {
        "rng": random.Random(1),
        "bench_users": {"gm": "gm"},
        "user_ids": [u.pk for u in org.values() if hasattr(u, "username")],
        "timings": [],
    }
    scale.generate(ctx, {"approvals_waiting": 20, "approvals_finished": 50})
    assert Task.objects.filter(assignee=org["gm"], status="pending").count() == 21
    assert Task.objects.filter(assignee=org["gm"], status="approved").count() == 50
    long = Request.objects.get(title=scale.TIMELINE_TITLE)
    assert long.events.count() == 30
    client = client_for(org["gm"])
    for page in bench.pages({}):
        who = {"gm": org["gm"], "ops": org["ops"], "admin": org["admin"]}[page["role"]]
        assert client_for(who).get(page["path"]).status_code == 200, page["name"]
    done = client.get(reverse("approvals:inbox") + "?tab=done").content.decode()
    assert "审批申请" in done


def test_inbox_pages_are_consecutive(org, memo_kind, client_for):
    ctx = {"rng": random.Random(2), "bench_users": {"gm": "gm"}, "user_ids": [org["staff"].pk], "timings": []}
    scale.generate(ctx, {"approvals_waiting": 0, "approvals_finished": 65})
    client = client_for(org["gm"])
    seen = []
    for page in ("1", "2", "3", "99", "x"):
        response = client.get(reverse("approvals:inbox") + f"?tab=done&page={page}")
        assert response.status_code == 200
        seen.append([row["task"].pk for row in response.context["rows"]])
    assert [len(s) for s in seen] == [30, 30, 5, 5, 30]
    assert len(set(seen[0]) | set(seen[1]) | set(seen[2])) == 65
    assert seen[3] == seen[2] and seen[4] == seen[0]  # out of range: the last page; not a number: the first
