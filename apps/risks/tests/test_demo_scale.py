import argparse
import random
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model

from apps.risks import bench, scale
from apps.risks.models import Assessment, KeyRiskIndicator, Measure, Risk

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-18 10:00 +0800", tick=False)
def test_seed_demo_tells_a_story_and_a_second_run_adds_nothing():
    from apps.departments import demo as org_demo
    from apps.kpis import demo as kpi_demo
    from apps.risks import demo

    ctx = {"today": date(2026, 11, 18), "stdout": StringIO()}
    org_demo.seed(ctx)
    kpi_demo.seed(ctx)
    demo.seed(ctx)
    assert 20 <= Risk.objects.count() <= 30
    assert set(Risk.objects.values_list("inherent_level", flat=True)) >= {"low", "medium", "high", "extreme"}
    assert Risk.objects.filter(status="reported").count() == 2
    assert Risk.objects.filter(in_warning=True).count() == 1  # from the demo's own collection-cycle figures
    assert KeyRiskIndicator.objects.filter(in_breach=False).exists()
    assert Risk.objects.filter(acceptance="pending").count() == 1
    assert set(Measure.objects.values_list("status", flat=True)) == set(Measure.Status.values)
    assert Measure.objects.filter(status__in=Measure.OPEN_STATUSES, due_date__lt=date(2026, 11, 18)).count() == 1
    assert Assessment.objects.count() > Risk.objects.exclude(status="reported").count()  # some reassessed
    counts = (Risk.objects.count(), Assessment.objects.count(), Measure.objects.count())
    demo.seed(ctx)
    assert counts == (Risk.objects.count(), Assessment.objects.count(), Measure.objects.count())


def test_scale_generates_risks_with_assessments_and_the_bench_pages_load(org, client_for):
    parser = argparse.ArgumentParser()
    scale.add_arguments(parser)
    options = vars(parser.parse_args(["--risks", "60", "--assessments-per-risk", "3"]))
    ids = list(get_user_model().objects.values_list("pk", flat=True))
    ctx = {
        "rng": random.Random(1),
        "today": date(2026, 11, 18),
        "stdout": StringIO(),
        "timings": [],
        "department_ids": [org["root"].pk, org["sales_dept"].pk, org["ops_dept"].pk],
        "user_ids": ids,
        "heads": {org["sales_dept"].pk: org["manager"].pk},
        "bench_users": {"manager": "manager"},
    }
    from apps.risks.models import Category, LevelBand, ScaleLevel

    for model in (Category, ScaleLevel, LevelBand):  # as `generate_scale_data --reset` leaves them
        model.objects.all().delete()
    scale.generate(ctx, options)
    assert Risk.objects.count() == 60 and Assessment.objects.count() == 180
    assert Category.objects.count() == 7 and ScaleLevel.objects.count() == 10 and LevelBand.objects.count() == 4
    for page in bench.pages({"users": {k: org[k] for k in ("staff", "manager", "ops", "admin")}}):
        user = org["admin"] if page["path"].startswith("/admin/") else org[page["role"]]
        assert client_for(user).get(page["path"]).status_code == 200, page
    for job in bench.jobs({}):
        assert job["run"]() >= 0
