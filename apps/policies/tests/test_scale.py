"""The scale generator and the bench entries run on a small company."""

import random
from datetime import date

from apps.policies import bench, scale
from apps.policies.models import Acknowledgement, Policy, PolicyNode, PolicyVersion


def test_generate_small_library_and_bench_entries(org, client_for):
    from django.contrib.auth import get_user_model

    users = list(get_user_model().objects.values_list("pk", flat=True))
    ctx = {
        "rng": random.Random(1),
        "today": date(2026, 6, 1),
        "department_ids": [org["sales_dept"].pk, org["ops_dept"].pk],
        "user_ids": users,
        "heads": {org["sales_dept"].pk: org["manager"].pk},
        "timings": [],
        "stdout": type("Out", (), {"write": lambda self, s: None})(),
    }
    scale.generate(ctx, {"policies": 30, "articles": 12, "ack_policies": 2})
    assert Policy.objects.count() == 30
    assert Policy.objects.filter(current_version__isnull=True).count() == 0
    assert PolicyVersion.objects.count() >= 30 and PolicyNode.objects.count() > 30 * 12
    assert Acknowledgement.objects.exists()
    roles = {"staff": org["staff"], "hr": org["hr"], "ops": org["ops"]}
    for page in bench.pages({"bench_users": {}}):
        assert client_for(roles[page["role"]]).get(page["path"]).status_code == 200, page
    for job in bench.jobs({}):
        assert job["run"]() >= 0
