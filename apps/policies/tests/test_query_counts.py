"""Pages cost the same number of queries whatever the number of policies or articles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.policies import services
from apps.policies.models import Category

from .factories import bulk_policies, make_published, regulation_text


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["staff", "ops", "manager"])
@pytest.mark.parametrize(
    "params",
    [{}, {"q": "内容"}, {"needs_ack": "on"}, {"sort": "-effective", "year": "2025"}],
    ids=["plain", "search", "needs-ack", "sorted"],
)
def test_list_queries_do_not_grow_with_policies(org, client_for, who, params):
    category = Category.objects.create(name="运营管理", code="ops")
    client = client_for(org[who])
    url = reverse("policies:list")
    bulk_policies(owning=org["sales_dept"], count=3, articles=5, category=category, ack_everyone=True)
    small = count_queries(client, url, **params)
    bulk_policies(owning=org["ops_dept"], count=40, articles=5, category=category, ack_everyone=True)
    large = count_queries(client, url, **params)
    assert large == small
    assert large <= 16


@pytest.mark.parametrize("who", ["staff", "ops"])
def test_detail_queries_do_not_grow_with_articles(org, client_for, who):
    client = client_for(org[who])
    short = make_published(org=org, text=regulation_text(articles=3), code="SHORT", ack_scope="everyone")
    long = make_published(org=org, text=regulation_text(articles=120, chapters=8), code="LONG", ack_scope="everyone")
    assert long.article_count == 120
    small = count_queries(client, reverse("policies:detail", args=["SHORT"]))
    large = count_queries(client, reverse("policies:detail", args=["LONG"]))
    assert large == small
    assert large <= 18
    assert short


def test_compare_and_history_queries_do_not_grow_with_articles(org, client_for):
    client = client_for(org["staff"])
    counts = []
    for code, n in (("SMALL", 3), ("BIG", 90)):
        v1 = make_published(org=org, text=regulation_text(articles=n), code=code)
        v2 = services.draft_create(policy=v1.policy, actor=org["ops"], text=regulation_text(articles=n + 1, extra="新"))
        from .factories import publish

        publish(v2, head=org["manager"], ops=org["ops"])
        counts.append(
            (
                count_queries(client, reverse("policies:compare", args=[code])),
                count_queries(client, reverse("policies:history", args=[code])),
            )
        )
    assert counts[0] == counts[1]


def test_ack_report_queries_do_not_grow_with_people(org, client_for, make_user):
    v = make_published(org=org, code="ACK", ack_scope="everyone")
    client = client_for(org["hr"])
    url = reverse("policies:ack_report", args=["ACK", v.label])
    small = count_queries(client, url)
    for i in range(30):
        make_user(roles=["staff"], username=f"extra{i}", department=org["sales_dept"])
    assert count_queries(client, url) == small
    overview = reverse("policies:ack_overview")
    small = count_queries(client, overview)
    for i in range(5):
        make_published(org=org, code=f"ACK{i}", ack_scope="everyone")
    assert count_queries(client, overview) == small


def test_home_panel_queries_do_not_grow(org, client_for):
    client = client_for(org["staff"])
    bulk_policies(owning=org["sales_dept"], count=6, articles=2, ack_everyone=True)  # more than the card shows
    small = count_queries(client, reverse("core:home"))
    bulk_policies(owning=org["sales_dept"], count=30, articles=2, ack_everyone=True)
    assert count_queries(client, reverse("core:home")) == small


def test_review_list_queries_do_not_grow(org, client_for):
    from datetime import date

    from apps.policies.models import Policy

    client = client_for(org["ops"])
    bulk_policies(owning=org["sales_dept"], count=3, articles=2)
    Policy.objects.update(next_review_date=date(2020, 1, 1))
    small = count_queries(client, reverse("policies:review_list"))
    bulk_policies(owning=org["ops_dept"], count=30, articles=2)
    Policy.objects.update(next_review_date=date(2020, 1, 1))
    assert count_queries(client, reverse("policies:review_list")) == small
