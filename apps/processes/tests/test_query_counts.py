"""Pages cost the same number of queries with little and with much data (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.departments.tests.factories import DepartmentFactory, PositionFactory

from .. import services
from .factories import change_request, published_process, step

pytestmark = pytest.mark.django_db


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def many_steps(org, n):
    depts = [org["sales_dept"], org["ops_dept"]] + [DepartmentFactory(parent=org["root"]) for _ in range(3)]
    positions = [PositionFactory(department=d) for d in depts]
    keys = [f"s{i + 1}" for i in range(n)]
    return [
        step(
            k,
            f"步骤{i + 1}",
            depts[i % 5],
            position=positions[i % 5],
            next_=[keys[i + 1]] + ([(keys[i - 1], "退回")] if i % 4 == 3 else []) if i + 1 < n else [],
        )
        for i, k in enumerate(keys)
    ]


def test_catalogue_queries_do_not_grow_with_processes(org, client_for):
    client = client_for(org["staff"])
    url = reverse("processes:list")
    for _ in range(3):
        published_process(org["sales_dept"])
    small = count(client, url)
    for _ in range(22):
        p = published_process(org["ops_dept"])
        change_request(p, org["staff"], submit=True)
    assert count(client, url) == small
    assert count(client, url + f"?status=in_use&review=90&department={org['root'].pk}") <= small + 1


def test_process_page_queries_do_not_grow_with_steps(org, client_for):
    client = client_for(org["staff"])
    small = published_process(org["sales_dept"], steps=many_steps(org, 4))
    big = published_process(org["sales_dept"], steps=many_steps(org, 40))
    for p in (small, big):
        change_request(p, org["staff"], submit=True)
    assert count(client, big.get_absolute_url()) == count(client, small.get_absolute_url())


def test_request_page_queries_do_not_grow_with_steps_or_history(org, client_for):
    client = client_for(org["ops"])
    # Both major (the big one touches other departments), so both flows show the same stages.
    small_process = published_process(org["sales_dept"], steps=many_steps(org, 4))
    small = change_request(small_process, org["staff"], submit=True, marked_major=True)
    big_process = published_process(org["sales_dept"], steps=many_steps(org, 40))
    steps = many_steps(org, 40)[::-1]
    for i, s in enumerate(steps):
        s["next"] = [{"to": steps[i + 1]["key"], "condition": ""}] if i + 1 < len(steps) else []
    big = change_request(big_process, org["staff"], steps=steps)
    for _ in range(5):  # a long history
        big = services.change_request_transition(cr=big, user=org["staff"], action="submit")
        big = services.change_request_transition(cr=big, user=org["manager"], action="return", comment="再改")
    big = services.change_request_transition(cr=big, user=org["staff"], action="submit")
    big = services.change_request_transition(cr=big, user=org["manager"], action="approve")
    small = services.change_request_transition(cr=small, user=org["manager"], action="approve")
    big_url, small_url = (services.approval_of(cr).get_absolute_url() for cr in (big, small))
    assert count(client, big_url) == count(client, small_url)


def test_inbox_and_request_list_queries_do_not_grow(org, client_for):
    client = client_for(org["manager"])
    p = published_process(org["sales_dept"])
    change_request(p, org["staff"], submit=True)
    inbox = reverse("approvals:inbox") + "?kind=processes.change"
    inbox_small = count(client, inbox)
    list_small = count(client, reverse("processes:cr_list"))
    for _ in range(15):
        change_request(p, org["staff"], submit=True)
    assert count(client, inbox) == inbox_small
    assert count(client, reverse("processes:cr_list")) == list_small


def test_department_page_queries_do_not_grow(org, client_for):
    client = client_for(org["staff"])
    url = reverse("processes:department", args=[org["sales_dept"].code])
    published_process(org["sales_dept"])
    small = count(client, url)
    for _ in range(10):
        published_process(org["ops_dept"], steps=many_steps(org, 6))
    assert count(client, url) == small
