"""Who may open which page: every role against every page of the foundation."""

import pytest
from django.urls import reverse

from apps.departments.models import EmployeeImport

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff", "manager", "hr", "ops", "admin"]
OK, FORBIDDEN, LOGIN = 200, 403, 302

# page -> expected status per role (anonymous is always sent to the login page)
MATRIX = {
    "home": dict(staff=OK, manager=OK, hr=OK, ops=OK, admin=OK),
    "org_chart": dict(staff=OK, manager=OK, hr=OK, ops=OK, admin=OK),
    "department": dict(staff=OK, manager=OK, hr=OK, ops=OK, admin=OK),
    "person": dict(staff=OK, manager=OK, hr=OK, ops=OK, admin=OK),
    "department_create": dict(staff=FORBIDDEN, manager=FORBIDDEN, hr=FORBIDDEN, ops=OK, admin=OK),
    "department_edit": dict(staff=FORBIDDEN, manager=FORBIDDEN, hr=FORBIDDEN, ops=OK, admin=OK),
    "position_create": dict(staff=FORBIDDEN, manager=FORBIDDEN, hr=FORBIDDEN, ops=OK, admin=OK),
    "employee_import": dict(staff=FORBIDDEN, manager=FORBIDDEN, hr=OK, ops=FORBIDDEN, admin=OK),
    "import_template": dict(staff=FORBIDDEN, manager=FORBIDDEN, hr=OK, ops=FORBIDDEN, admin=OK),
    "notifications": dict(staff=OK, manager=OK, hr=OK, ops=OK, admin=OK),
    "password_change": dict(staff=OK, manager=OK, hr=OK, ops=OK, admin=OK),
    "admin_index": dict(staff=LOGIN, manager=LOGIN, hr=LOGIN, ops=LOGIN, admin=OK),
}


def url_for(page: str, org) -> str:
    sales = org["sales_dept"]
    return {
        "home": reverse("core:home"),
        "org_chart": reverse("departments:org_chart"),
        "department": reverse("departments:department", args=[sales.code]),
        "person": reverse("departments:person", args=[org["staff"].username]),
        "department_create": reverse("departments:department_create"),
        "department_edit": reverse("departments:department_edit", args=[sales.code]),
        "position_create": reverse("departments:position_create", args=[sales.code]),
        "employee_import": reverse("departments:employee_import"),
        "import_template": reverse("departments:employee_import_template"),
        "notifications": reverse("notifications:list"),
        "password_change": reverse("accounts:password_change"),
        "admin_index": reverse("admin:index"),
    }[page]


@pytest.mark.parametrize("page", MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_the_pages_it_should(org, client_for, page, role):
    user = None if role == "anonymous" else org[role]
    response = client_for(user).get(url_for(page, org))
    if role == "anonymous":
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    else:
        assert response.status_code == MATRIX[page][role]


@pytest.mark.parametrize(
    "path",
    [
        "/org/departments/no-such-dept/",
        "/org/people/nobody/",
        "/org/departments/no-such/edit/",
    ],
)
def test_unknown_objects_are_404(org, client_for, path):
    assert client_for(org["admin"]).get(path).status_code == 404


def test_an_import_preview_is_only_for_the_person_who_uploaded_it(org, client_for, make_user):
    batch = EmployeeImport.objects.create(created_by=org["hr"], filename="a.csv", rows=[])
    other_hr = make_user(roles=["staff", "hr"], username="hr2")
    url = reverse("departments:employee_import_preview", args=[batch.pk])
    assert client_for(org["hr"]).get(url).status_code == 200
    assert client_for(other_hr).get(url).status_code == 404
    assert client_for(org["staff"]).get(url).status_code == 403


def test_healthz_and_login_are_open_to_anonymous(client):
    assert client.get(reverse("accounts:login")).status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
