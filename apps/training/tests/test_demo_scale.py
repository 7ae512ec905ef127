import argparse
import random
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model

from apps.training import bench, scale
from apps.training.models import Attendance, Certificate, Course, DevelopmentPlan, Enrollment, Plan, Session
from apps.training.selectors import hours_by_department

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-18 10:00 +0800", tick=False)
def test_seed_demo_has_a_plan_past_and_upcoming_sessions_and_a_second_run_adds_nothing():
    from apps.departments import demo as org_demo
    from apps.policies import demo as policy_demo
    from apps.training import demo

    ctx = {"today": date(2026, 11, 18), "stdout": StringIO()}
    org_demo.seed(ctx)
    policy_demo.seed(ctx)
    demo.seed(ctx)
    assert Plan.objects.filter(status="approved").count() == 1 and Plan.objects.filter(status="draft").count() == 1
    assert Session.objects.filter(status="done").count() == 3
    assert Session.objects.filter(status="scheduled").count() == 2
    assert Course.objects.filter(policies__code="OPS-ZD-001", questions__isnull=False).exists()
    assert Enrollment.objects.filter(status=Attendance.PRESENT).exists()
    assert Certificate.objects.count() == 1 and DevelopmentPlan.objects.count() >= 2
    counts = (Course.objects.count(), Session.objects.count(), Enrollment.objects.count())
    demo.seed(ctx)
    assert counts == (Course.objects.count(), Session.objects.count(), Enrollment.objects.count())


def test_scale_generates_attendance_and_the_bench_pages_load(org, client_for):
    parser = argparse.ArgumentParser()
    scale.add_arguments(parser)
    options = vars(parser.parse_args(["--training-courses", "10", "--attendance", "200"]))
    ids = list(get_user_model().objects.values_list("pk", flat=True))
    ctx = {
        "rng": random.Random(1),
        "today": date(2026, 11, 18),
        "stdout": StringIO(),
        "timings": [],
        "user_ids": ids,
        "bench_users": {"staff": "staff"},
    }
    with time_machine.travel("2026-11-18 10:00 +0800", tick=False):
        scale.generate(ctx, options)
        assert Enrollment.objects.count() > 0 and Course.objects.count() == 10
        rows = hours_by_department(2026)
        assert (
            sum(r["people"] for r in rows)
            == get_user_model().objects.filter(is_active=True, department__isnull=False).count()
        )
        for page in bench.pages({"users": {k: org[k] for k in ("staff", "hr", "admin")}}):
            user = org["admin"] if page["path"].startswith("/admin/") else org[page["role"]]
            assert client_for(user).get(page["path"]).status_code == 200, page
