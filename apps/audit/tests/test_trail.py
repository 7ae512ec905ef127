"""The audit trail is written by database triggers: a change through a page, a bulk update
and a delete are all recorded with who and old → new, kept after the record is gone, shown
on the record's page and searchable and exportable by administrators only."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pghistory.models import Events

from apps.departments.models import Department

pytestmark = pytest.mark.django_db


def _events(obj_model: str, pk) -> list:
    return list(Events.objects.filter(pgh_obj_model=obj_model, pgh_obj_id=str(pk)).order_by("pgh_id"))


def test_a_change_made_on_a_page_is_recorded_with_who_and_old_and_new(org, client_for):
    dept = org["sales_dept"]
    data = {"name": "销售一部", "code": dept.code, "parent": org["root"].pk, "head": org["manager"].pk, "sort_order": 0}
    response = client_for(org["admin"]).post(reverse("departments:department_edit", args=[dept.code]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    change = _events("departments.Department", dept.pk)[-1]
    assert change.pgh_label == "update" and change.pgh_diff["name"] == ["销售部", "销售一部"]
    assert change.pgh_context["username"] == "admin" and change.pgh_context["url"].endswith("/edit/")
    page = client_for(org["admin"]).get(dept.get_absolute_url()).content.decode()
    assert 'id="history"' in page and "销售一部" in page and "admin" in page
    assert 'id="history"' not in client_for(org["staff"]).get(dept.get_absolute_url()).content.decode()


def test_bulk_updates_and_deletes_cannot_bypass_it_and_the_trail_outlives_the_record(org):
    dept = Department.objects.create(name="临时组", code="tmp", parent=org["root"])
    Department.objects.filter(pk=dept.pk).update(name="临时组二")  # no save(), no signal
    pk = dept.pk
    dept.delete()
    assert [e.pgh_label for e in _events("departments.Department", pk)] == ["insert", "update", "delete"]
    assert _events("departments.Department", pk)[1].pgh_diff["name"] == ["临时组", "临时组二"]


def test_the_trail_keeps_no_passwords_and_no_peer_comments():
    from django.apps import apps

    fields = {f.name for f in apps.get_model("audit", "UserEvent")._meta.fields}
    assert "password" not in fields and "username" in fields
    assert "comments" not in {f.name for f in apps.get_model("audit", "PeerReviewEvent")._meta.fields}


@pytest.mark.parametrize("who,status", [("admin", 200), ("hr", 403), ("ops", 403), ("staff", 403), (None, 302)])
def test_only_administrators_search_the_trail(org, client_for, who, status):
    assert client_for(org[who] if who else None).get(reverse("audit:trail")).status_code == status


def test_administrators_search_and_export_it(org, client_for, django_assert_max_num_queries):
    for i in range(30):
        Department.objects.create(name=f'=HYPERLINK("x")组{i}', code=f"g{i}", parent=org["root"])
    admin = client_for(org["admin"])
    with django_assert_max_num_queries(12):
        page = admin.get(reverse("audit:trail"), {"model": "departments.Department", "label": "insert"})
    created = Department.objects.count()  # the 30 and the org fixture's own
    assert page.status_code == 200 and page.content.decode().count("departments.Department #") == created
    found = admin.get(reverse("audit:trail"), {"text": "组7"}).content.decode()
    # Compare record references, not bare codes: the page's random CSRF token may contain "g8".
    g7, g8 = Department.objects.get(code="g7"), Department.objects.get(code="g8")
    assert f"departments.Department #{g7.pk}<" in found and f"departments.Department #{g8.pk}<" not in found
    export = admin.get(reverse("audit:trail"), {"model": "departments.Department", "format": "xlsx"})
    assert export["Cache-Control"] == "private, no-store"
    cells = [c for row in load_workbook(io.BytesIO(export.content)).active.iter_rows() for c in row]
    hostile = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert len(hostile) == 30 and all(c.data_type == "s" for c in hostile)
