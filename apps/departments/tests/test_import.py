"""The employee import: preview, row-level errors, nothing half-saved."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.departments.models import EmployeeImport
from apps.departments.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
HEADER = "工号,用户名,姓名,邮箱,部门编码,岗位编码,上级工号,入职日期\n"


def upload(client, name: str, content: bytes):
    return client.post(reverse("departments:employee_import"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def hr_client(org, client_for):
    return client_for(org["hr"])


def test_a_good_file_previews_then_imports_everyone(org, hr_client):
    PositionFactory(code="rep", department=org["sales_dept"], name="销售代表")
    csv = HEADER + (
        "E9001,lilei,李雷,lilei@example.com,sales,rep,E9002,2026-03-01\n"
        "E9002,hanmeimei,韩梅梅,hmm@example.com,sales,,,2025-07-15\n"
    )
    response = upload(hr_client, "people.csv", csv.encode("utf-8"))
    assert response.status_code == 302
    batch = EmployeeImport.objects.get()
    preview = hr_client.get(response["Location"])
    assert preview.context["bad_count"] == 0 and preview.context["new_count"] == 2
    assert not User.objects.filter(employee_no="E9001").exists()  # nothing before confirming

    hr_client.post(response["Location"])
    lilei = User.objects.get(employee_no="E9001")
    assert (lilei.display_name, lilei.department, lilei.position.code) == ("李雷", org["sales_dept"], "rep")
    assert lilei.manager.employee_no == "E9002"  # a manager further down the same file
    assert str(lilei.hire_date) == "2026-03-01"
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count) == (2, 0)


def test_bad_rows_are_named_and_nothing_is_saved(org, hr_client):
    csv = HEADER + (
        "E9001,lilei,李雷,lilei@example.com,sales,,,2026-03-01\n"  # fine
        "E9003,zhao,赵六,not-an-email,no-such-dept,,,2026-13-45\n"  # three errors
        "E9001,lilei2,李雷二,,sales,,E7777,\n"  # repeated number, unknown manager
        ",,,,sales,,,\n"  # required fields
    )
    response = upload(hr_client, "people.csv", csv.encode("utf-8"))
    preview = hr_client.get(response["Location"])
    rows = preview.context["rows"]
    assert preview.context["bad_count"] == 3
    assert rows[0].errors == []
    assert any("not-an-email" in e for e in rows[1].errors)
    assert any("no-such-dept" in e for e in rows[1].errors)
    assert any("2026-13-45" in e for e in rows[1].errors)
    assert any("E9001" in e and "2" in e for e in rows[2].errors)
    assert any("E7777" in e for e in rows[2].errors)
    assert len(rows[3].errors) >= 3
    page = preview.content.decode()
    assert "not-an-email" in page and "E7777" in page

    confirm = hr_client.post(response["Location"])  # a forced confirm still saves nothing
    assert confirm.status_code == 200
    assert not User.objects.filter(employee_no__in=["E9001", "E9003"]).exists()


def test_existing_people_are_updated_by_employee_number(org, hr_client):
    staff = org["staff"]
    csv = HEADER + f"{staff.employee_no},{staff.username},刘洋（新）,,ops,,,\n"
    response = upload(hr_client, "people.csv", csv.encode("gb18030"))  # GBK from Excel
    hr_client.post(response["Location"])
    staff.refresh_from_db()
    assert staff.display_name == "刘洋（新）" and staff.department.code == "ops"


def test_an_xlsx_file_is_read(org, hr_client):
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "用户名", "姓名", "部门编码"])
    sheet.append([9100, "wang", "王五", "sales"])  # Excel turns the number into 9100.0
    data = io.BytesIO()
    book.save(data)
    response = upload(hr_client, "people.xlsx", data.getvalue())
    hr_client.post(response["Location"])
    assert User.objects.get(employee_no="9100").display_name == "王五"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("people.csv", b"", "empty"),
        ("people.xlsx", b"PK\x03\x04 not really a zip", "Excel"),
        ("people.pdf", b"%PDF-1.4", ".csv"),
        ("people.csv", "姓名,邮箱\n张三,a@b.c\n".encode(), "Missing columns"),
    ],
)
def test_unreadable_files_get_one_clear_message_and_keep_the_form(hr_client, name, content, message, settings):
    settings.LANGUAGE_CODE = "en"
    response = upload(hr_client, name, content)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert EmployeeImport.objects.count() == 0


def test_confirming_twice_imports_once(org, hr_client):
    response = upload(hr_client, "p.csv", (HEADER + "E9001,lilei,李雷,,sales,,,\n").encode())
    hr_client.post(response["Location"])
    hr_client.post(response["Location"])
    assert User.objects.filter(employee_no="E9001").count() == 1
    assert EmployeeImport.objects.get().created_count == 1


@pytest.mark.parametrize("username", ["a/b", "../admin", "名 字", "x" * 151, "tab\tname"])
def test_a_username_django_would_refuse_is_an_error_of_its_row(org, hr_client, username):
    response = upload(hr_client, "people.csv", (HEADER + f"E9001,{username},李雷,,sales,,,\n").encode())
    rows = hr_client.get(response["Location"]).context["rows"]
    assert any("may only contain letters" in e or "只能包含" in e for e in rows[0].errors), rows[0].errors
    assert hr_client.post(response["Location"]).status_code == 200  # refused, page shown again
    assert not User.objects.filter(employee_no="E9001").exists()


def test_an_import_never_renames_or_moves_an_administrator_or_the_importer(org, hr_client):
    admin, hr = org["admin"], org["hr"]
    admin.employee_no, hr.employee_no = "A0001", "H0001"
    admin.save(update_fields=["employee_no"])
    hr.save(update_fields=["employee_no"])
    superuser = User.objects.create_superuser("root", employee_no="S0001", password="x" * 12)
    csv = HEADER + (
        "A0001,admin,改名,,sales,,,\n"  # the admin role, by employee number
        "H0001,hr,我自己,,sales,,,\n"  # the importer's own account
        "E9005,root,抢用户名,,sales,,,\n"  # a superuser's username on a new number
        "E9006,fine,正常,,sales,,,\n"
    )
    response = upload(hr_client, "people.csv", csv.encode())
    rows = hr_client.get(response["Location"]).context["rows"]
    assert [bool(r.errors) for r in rows] == [True, True, True, False]
    hr_client.post(response["Location"])
    for person in (admin, hr, superuser):
        before = (person.display_name, person.department_id, person.username)
        person.refresh_from_db()
        assert (person.display_name, person.department_id, person.username) == before
    assert not User.objects.filter(employee_no="E9006").exists()  # all or nothing
