"""The library list: filters, sorting and search narrow what the user may already see."""

from datetime import date

import pytest
from django.urls import reverse

from apps.policies.models import Category

from .factories import make_published, regulation_text


@pytest.fixture
def shelf(org):
    hr = Category.objects.create(name="人力资源", code="hr")
    fin = Category.objects.create(name="财务管理", code="finance")
    a = make_published(
        org=org,
        code="HR-1",
        category=hr,
        effective_date=date(2024, 3, 1),
        text=regulation_text("考勤管理制度", extra="打卡"),
    )
    b = make_published(
        org=org,
        code="FIN-1",
        category=fin,
        owning=org["ops_dept"],
        effective_date=date(2025, 5, 1),
        text=regulation_text("费用报销管理制度", extra="差旅报销"),
    )
    return {"hr": a, "fin": b}


def codes(client, **params):
    response = client.get(reverse("policies:list"), params)
    assert response.status_code == 200
    return [p.code for p in response.context["page_obj"]]


@pytest.mark.parametrize(
    "params,expected",
    [
        ({}, ["FIN-1", "HR-1"]),
        ({"category": "hr"}, ["HR-1"]),
        ({"department": "ops"}, ["FIN-1"]),
        ({"year": "2024"}, ["HR-1"]),
        ({"status": "retired"}, []),
        ({"q": "考勤"}, ["HR-1"]),  # title
        ({"q": "fin-1"}, ["FIN-1"]),  # code, any case
        ({"q": "差旅报销"}, ["FIN-1"]),  # words inside an article
        ({"sort": "-effective"}, ["FIN-1", "HR-1"]),
        ({"sort": "effective"}, ["HR-1", "FIN-1"]),
        ({"year": "not a year"}, ["FIN-1", "HR-1"]),  # a bad value is ignored, not an error
    ],
)
def test_filters(org, shelf, client_for, params, expected):
    assert codes(client_for(org["staff"]), **params) == expected


def test_search_shows_the_matching_article_with_a_link(org, shelf, client_for):
    page = client_for(org["staff"]).get(reverse("policies:list"), {"q": "差旅报销"}).content.decode()
    assert 'href="/policies/FIN-1/#a1"' in page and "<mark>差旅报销</mark>" in page


def test_search_only_looks_at_the_version_in_force(org, shelf, client_for):
    from apps.policies import services

    from .factories import publish

    client = client_for(org["ops"])
    draft = services.draft_create(
        policy=shelf["hr"].policy, actor=org["ops"], text=regulation_text("考勤管理制度", extra="弹性")
    )
    assert codes(client, q="弹性") == []  # draft text is not searched
    assert codes(client, q="打卡") == ["HR-1"]
    publish(draft, head=org["manager"], ops=org["ops"])
    assert codes(client, q="弹性") == ["HR-1"]
    assert codes(client, q="打卡") == []  # the superseded text is not either


def test_retired_policies_are_listed_only_when_asked_for(org, shelf, client_for):
    from apps.policies import services

    services.version_retire(version=shelf["hr"], actor=org["ops"], comment="并入新制度")
    client = client_for(org["staff"])
    assert codes(client) == ["FIN-1"]
    assert codes(client, status="retired") == ["HR-1"]
    assert client.get(reverse("policies:detail", args=["HR-1"])).status_code == 200  # still readable
