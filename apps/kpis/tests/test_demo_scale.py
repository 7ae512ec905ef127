import random
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model

from apps.kpis import bench, scale
from apps.kpis.models import Indicator, Measurement, PeriodLock, Target

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-21 10:00 +0800", tick=False)
def test_seed_demo_tells_a_story_and_a_second_run_adds_nothing():
    from apps.departments import demo as org_demo
    from apps.kpis import demo

    ctx = {"today": date(2026, 11, 21), "stdout": StringIO()}
    org_demo.seed(ctx)
    demo.seed(ctx)
    counts = (
        Indicator.objects.count(),
        Measurement.objects.count(),
        Target.objects.count(),
        PeriodLock.objects.count(),
    )
    assert 40 <= counts[0] <= 60 and counts[1] > 700
    names = set(Indicator.objects.values_list("name", flat=True))
    for name in (
        "销售额",
        "市场份额",
        "客户满意度",
        "用户反馈解决率",
        "投诉处理及时率",
        "产品合格率",
        "按时交付率",
        "库存周转天数",
        "回款周期",
        "招聘完成率",
        "培训覆盖率",
        "员工满意度",
    ):
        assert name in names
    from apps.kpis.selectors import indicator_history

    sales = Indicator.objects.get(code="C-SAL")
    history = indicator_history(sales)
    assert len(history) == 24 and history[-1].achievement > history[0].achievement  # improving
    dso = indicator_history(Indicator.objects.get(code="C-DSO"))
    assert dso[-1].status == "red" and dso[0].status == "green"  # slipping
    assert sales.children.count() == 5
    demo.seed(ctx)
    assert counts == (
        Indicator.objects.count(),
        Measurement.objects.count(),
        Target.objects.count(),
        PeriodLock.objects.count(),
    )


def test_scale_generates_indicators_with_three_years_and_bench_pages_load(org, client_for):
    import argparse

    parser = argparse.ArgumentParser()
    scale.add_arguments(parser)
    options = vars(parser.parse_args(["--indicators", "40"]))
    User = get_user_model()
    ids = list(User.objects.values_list("pk", flat=True))
    ctx = {
        "rng": random.Random(1),
        "today": date(2026, 11, 21),
        "stdout": StringIO(),
        "timings": [],
        "department_ids": [org["root"].pk, org["sales_dept"].pk, org["ops_dept"].pk, org["ops_group"].pk],
        "user_ids": ids,
        "heads": {org["sales_dept"].pk: org["manager"].pk},
        "bench_users": {"manager": "manager"},
    }
    scale.generate(ctx, options)
    assert Indicator.objects.count() == 40
    assert Measurement.objects.filter(year=2024).exists() and Measurement.objects.count() > 40 * 10
    bctx = {"users": {k: org[k] for k in ("staff", "manager", "ops", "gm", "hr", "admin")}, "today": date(2026, 11, 21)}
    for page in bench.pages(bctx):
        assert client_for(org[page["role"]]).get(page["path"]).status_code == 200, page
    for job in bench.jobs(bctx):
        assert job["run"]() >= 0
