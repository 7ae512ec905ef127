"""seed_demo makes the weekly 运营管理部 series with three past meetings and actions in every
state (a second run adds nothing); generate_scale_data's part and the bench pages work."""

import argparse
import random
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model

from apps.meetings import bench, scale
from apps.meetings.models import ActionItem, ActionStatus, AgendaItem, Attendee, Meeting, MinutesStatus, Series

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-21 10:00 +0800", tick=False)
def test_seed_demo_has_a_weekly_series_with_three_past_meetings_and_every_action_state():
    from apps.departments import demo as org_demo
    from apps.meetings import demo

    ctx = {"today": date(2026, 11, 21), "stdout": StringIO()}
    org_demo.seed(ctx)
    demo.seed(ctx)
    series = Series.objects.get(title=demo.WEEKLY)
    assert series.department.name == "运营管理部"
    past = list(series.meetings.filter(date__lt=date(2026, 11, 21)))
    assert len(past) == 3
    past.sort(key=lambda m: m.date)
    assert all(m.minutes_versions.filter(status=MinutesStatus.ISSUED).exists() for m in past[:2])
    # last week's minutes wait for the attendees' confirmation on the approvals engine
    from apps.meetings.services import confirmation_of

    last = past[-1].minutes_versions.get()
    assert last.status == MinutesStatus.CONFIRMING
    request = confirmation_of(last)
    assert request.is_pending and request.tasks.filter(status="approved").count() == 1
    assert request.tasks.filter(status="pending").exists()
    assert series.meetings.filter(date__gt=date(2026, 11, 21)).exists()  # the generator made the next ones
    states = set(ActionItem.objects.values_list("status", flat=True))
    assert states == set(ActionStatus.values)
    assert ActionItem.objects.filter(status=ActionStatus.OPEN, due_date__lt=date(2026, 11, 21)).exists()  # overdue
    assert ActionItem.objects.filter(updates__event="reopened").exists()
    before = Meeting.objects.count()
    demo.seed(ctx)
    assert Meeting.objects.count() == before


def test_scale_data_and_bench_pages(org, client_for):
    parser = argparse.ArgumentParser()
    scale.add_arguments(parser)
    options = vars(parser.parse_args(["--meeting-actions", "300"]))
    ids = list(get_user_model().objects.values_list("pk", flat=True))
    ctx = {
        "rng": random.Random(1),
        "today": date(2026, 11, 21),
        "stdout": StringIO(),
        "timings": [],
        "user_ids": ids,
        "bench_users": {"manager": "manager", "staff": "staff"},
    }
    scale.generate(ctx, options)
    assert ActionItem.objects.filter(department=org["sales_dept"]).count() == 300
    big = Meeting.objects.get(title=scale.BIG_TITLE)
    assert AgendaItem.objects.filter(meeting=big).count() == 40
    assert Attendee.objects.filter(meeting=big).count() == len(ids)  # fewer than 60 people in the test company
    bctx = {"users": {k: org[k] for k in ("staff", "manager", "ops", "gm", "hr", "admin")}}
    pages = bench.pages(bctx)
    assert len(pages) == 3
    for page in pages:
        assert client_for(org[page["role"]]).get(page["path"]).status_code == 200, page
    for job in bench.jobs(bctx):
        assert job["run"]() >= 0
