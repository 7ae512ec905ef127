"""Pages whose size grows with the company: the number of queries must not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.appraisals.models import Appraisal, AppraisalEvent

from .helpers import appraisal_of, review_all

pytestmark = pytest.mark.django_db


def _grow(org, n):
    UserFactory.create_batch(n, department=org["sales_dept"], manager=org["manager"], roles=["staff"])


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["team", "calibration", "cycle", "appraisal", "home"])
def test_queries_stay_flat_from_10_to_100_people(org, open_cycle, client_for, page):
    counts = []
    for n in (10, 100):
        _grow(org, n if not counts else n - 10)
        cycle = open_cycle(f"2025Q{len(counts) + 1}")
        review_all(cycle)
        a = appraisal_of(cycle, org["staff"])
        AppraisalEvent.objects.bulk_create(
            [AppraisalEvent(appraisal=a, action="review_changed", changes={"total": ["1", "2"]}) for _ in range(n)]
        )
        who, url = {
            "team": ("manager", reverse("appraisals:cycle_team", args=[cycle.code])),
            "calibration": ("hr", reverse("appraisals:calibration", args=[cycle.code])),
            "cycle": ("hr", reverse("appraisals:cycle", args=[cycle.code])),
            "appraisal": ("manager", reverse("appraisals:appraisal", args=[a.pk])),
            "home": ("staff", reverse("appraisals:home")),
        }[page]
        counts.append(_count(client_for(org[who]), url))
    assert Appraisal.objects.filter(reviewer=org["manager"]).count() > 100
    assert counts[0] == counts[1], counts
