"""The org chart, department and person pages cost the same number of queries whatever the size."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.departments.models import Position
from apps.departments.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def grow(parent, n_children: int, people_each: int, tag: str):
    """n_children sub-departments under parent, each with a head, positions and people."""
    made = []
    for i in range(n_children):
        dept = DepartmentFactory(parent=parent, code=f"{tag}-{i}", name=f"部门{tag}{i}")
        pos = Position.objects.create(department=dept, name="专员", code=f"{tag}-{i}-p", duties="一\n二")
        users = User.objects.bulk_create(
            [
                User(
                    username=f"{tag}-{i}-{j}",
                    display_name=f"员工{j}",
                    employee_no=f"{tag}{i}-{j}",
                    department=dept,
                    position=pos,
                )
                for j in range(people_each)
            ]
        )
        dept.head = users[0]
        dept.save(update_fields=["head"])
        User.objects.filter(pk__in=[u.pk for u in users[1:]]).update(manager=users[0])
        made.append(dept)
    return made


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_org_chart_queries_stay_flat_when_the_company_grows_tenfold(org, client_for):
    client = client_for(org["staff"])
    url = reverse("departments:org_chart")
    grow(org["sales_dept"], 3, 5, "s")
    small = count_queries(client, url)
    for dept in grow(org["ops_dept"], 10, 10, "big"):
        grow(dept, 2, 3, f"{dept.code}x")
    assert count_queries(client, url) == small


def test_department_page_queries_stay_flat_with_ten_times_the_members_and_children(org, client_for):
    client = client_for(org["staff"])
    small_dept, big_dept = grow(org["root"], 2, 6, "d")
    grow(small_dept, 2, 2, "ds")
    grow(big_dept, 20, 2, "db")
    Position.objects.bulk_create([Position(department=big_dept, name=f"岗{i}", code=f"db-p{i}") for i in range(20)])
    User.objects.bulk_create(
        [User(username=f"extra{i}", employee_no=f"X{i}", department=big_dept, manager=big_dept.head) for i in range(54)]
    )
    small = count_queries(client, reverse("departments:department", args=[small_dept.code]))
    big = count_queries(client, reverse("departments:department", args=[big_dept.code]))
    assert big == small


def test_person_page_queries_stay_flat_with_many_reports(org, client_for):
    client = client_for(org["staff"])
    few_dept, many_dept = grow(org["root"], 2, 3, "p")
    User.objects.bulk_create(
        [User(username=f"r{i}", employee_no=f"R{i}", department=many_dept, manager=many_dept.head) for i in range(60)]
    )
    few = count_queries(client, reverse("departments:person", args=[few_dept.head.username]))
    many = count_queries(client, reverse("departments:person", args=[many_dept.head.username]))
    assert many == few
