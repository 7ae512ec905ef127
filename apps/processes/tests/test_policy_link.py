"""A process names the regulation articles it implements (apps.policies nodes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.policies.models import Confidentiality
from apps.policies.tests.factories import bulk_policies

from .factories import change_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def policies(org):
    public, restricted = bulk_policies(owning=org["ops_dept"], count=2, articles=4)
    restricted.confidentiality = Confidentiality.RESTRICTED
    restricted.save()
    restricted.allowed_departments.add(org["ops_dept"])
    return public, restricted


def nodes_of(policy):
    return list(policy.current_version.nodes.filter(kind="article").order_by("ordinal"))


@pytest.mark.parametrize("role, code", [("ops", 200), ("admin", 200), ("staff", 403), ("manager", 403), ("gm", 403)])
def test_who_may_link_articles(org, sales_process, client_for, role, code):
    url = reverse("processes:articles", args=[sales_process.code])
    assert client_for(org[role]).get(url).status_code == code


def test_ops_links_articles_policy_by_policy(org, sales_process, policies, client_for):
    public, restricted = policies
    url = reverse("processes:articles", args=[sales_process.code])
    client = client_for(org["ops"])
    page = client.get(url + f"?policy={public.code}")
    assert len(page.context["nodes"]) == 5  # the chapter and its four articles
    a1, a2, a3, _a4 = nodes_of(public)
    assert client.post(url, {"policy": public.code, "nodes": [a1.pk, a2.pk]}).status_code == 302
    assert client.post(url, {"policy": restricted.code, "nodes": [nodes_of(restricted)[0].pk]}).status_code == 302
    # choosing again for the same policy replaces only that policy's links
    client.post(url, {"policy": public.code, "nodes": [a3.pk, 999999]})
    linked = set(sales_process.articles.values_list("pk", flat=True))
    assert linked == {a3.pk, nodes_of(restricted)[0].pk}


def test_restricted_articles_are_shown_only_to_those_who_may_read_them(org, sales_process, policies, client_for):
    public, restricted = policies
    sales_process.articles.add(nodes_of(public)[0], nodes_of(restricted)[0])
    seen_by_staff = client_for(org["staff"]).get(sales_process.get_absolute_url()).content.decode()
    seen_by_outsider = client_for(org["outsider"]).get(sales_process.get_absolute_url()).content.decode()
    assert public.code in seen_by_staff and restricted.code not in seen_by_staff
    assert restricted.code in seen_by_outsider  # the restricted policy is shared with the ops department
    assert f"#{nodes_of(public)[0].slug}" in seen_by_staff


def test_the_request_page_shows_the_articles_of_the_process(org, sales_process, policies, client_for):
    public, _restricted = policies
    sales_process.articles.add(nodes_of(public)[1])
    cr = change_request(sales_process, org["staff"], submit=True)
    page = client_for(org["manager"]).get(cr.get_absolute_url(), follow=True).content.decode()
    assert public.code in page and nodes_of(public)[1].label in page


def test_process_page_queries_do_not_grow_with_linked_articles(org, sales_process, client_for):
    client = client_for(org["staff"])
    few = bulk_policies(owning=org["ops_dept"], count=1, articles=2)
    sales_process.articles.add(*nodes_of(few[0]))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(sales_process.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for policy in bulk_policies(owning=org["ops_dept"], count=6, articles=8):
        sales_process.articles.add(*nodes_of(policy))
    assert count() == small
