"""Query counts stay flat as indicators x periods grow (no N+1 on the busy pages)."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.kpis.models import Indicator, Measurement, Target
from apps.kpis.periods import Period, periods_between
from apps.kpis.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def grow(org, n, months):
    """n indicators per frequency mix, with figures and targets for `months` months."""
    inds = []
    for i in range(n):
        freq = ("monthly", "quarterly", "annual")[i % 3]
        person = org["staff"] if i % 5 == 0 else None
        inds.append(
            IndicatorFactory(
                department=org["sales_dept"],
                frequency=freq,
                responsible=org["manager"],
                scope="person" if person else "department",
                person=person,
            )
        )
    rows_m, rows_t = [], []
    for ind in inds:
        last = Period.last_ended_by(Period(2026, 3), ind.frequency)
        for p in periods_between(
            last.shift(-months // {"monthly": 1, "quarterly": 3, "annual": 12}[ind.frequency]), last
        ):
            rows_m.append(
                Measurement(
                    indicator=ind,
                    year=p.year,
                    index=p.index,
                    value=D(90),
                    entered_by=org["manager"],
                    updated_by=org["manager"],
                )
            )
            rows_t.append(Target(indicator=ind, year=p.year, index=p.index, value=D(100)))
    Measurement.objects.bulk_create(rows_m, ignore_conflicts=True)
    Target.objects.bulk_create(rows_t, ignore_conflicts=True)
    return inds


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


PAGES = [
    ("ops", lambda org, ind: reverse("kpis:overview") + "?month=2026-03"),
    ("manager", lambda org, ind: reverse("kpis:overview") + "?month=2026-03&status=amber"),
    ("staff", lambda org, ind: reverse("kpis:department", args=["sales"]) + "?month=2026-03"),
    ("manager", lambda org, ind: reverse("kpis:enter", args=["sales", "2026-03"])),
    ("staff", lambda org, ind: reverse("kpis:indicator", args=[ind.pk])),
]


@pytest.mark.parametrize("who, url", PAGES)
def test_query_count_is_flat_as_indicators_and_periods_grow(org, client_for, who, url):
    first = grow(org, 3, 12)
    c = client_for(org[who])
    small = count(c, url(org, first[0]))
    grow(org, 30, 36)
    big = count(c, url(org, first[0]))
    assert big == small, (small, big)
    assert Indicator.objects.count() == 33


def test_overview_query_ceiling(org, client_for, django_assert_max_num_queries):
    grow(org, 60, 24)
    c = client_for(org["ops"])
    with django_assert_max_num_queries(12):
        c.get(reverse("kpis:overview") + "?month=2026-03")
    with django_assert_max_num_queries(12):
        c.get(reverse("kpis:department", args=["sales"]) + "?month=2026-03")
