"""Who may open which page: table-driven, every view. Hidden objects (another person's KPI)
are 404; an action on what everybody sees (a department, a company indicator) is 403
(apps/core/permissions.py)."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from apps.kpis.models import FigureImport
from apps.kpis.tests.factories import MeasurementFactory

pytestmark = pytest.mark.django_db
MONTH = "2026-03"
EVERYONE = ["staff", "outsider", "manager", "gm", "hr", "ops", "admin"]


def urls(kpi):
    s, p = kpi["sales_kpi"].pk, kpi["personal_kpi"].pk
    return {
        "overview": ("get", reverse("kpis:overview")),
        "department": ("get", reverse("kpis:department", args=["sales"])),
        "indicator": ("get", reverse("kpis:indicator", args=[s])),
        "indicator_personal": ("get", reverse("kpis:indicator", args=[p])),
        "measurement": ("get", reverse("kpis:measurement", args=[s, MONTH])),
        "measurement_personal": ("get", reverse("kpis:measurement", args=[p, MONTH])),
        "measurement_post": ("post", reverse("kpis:measurement", args=[s, MONTH])),
        "enter": ("get", reverse("kpis:enter", args=["sales", MONTH])),
        "enter_field": ("post", reverse("kpis:enter_field", args=["sales", MONTH, s])),
        "export": ("get", reverse("kpis:export", args=["sales", MONTH, "xlsx"])),
        "template": ("get", reverse("kpis:template", args=["sales", MONTH, "csv"])),
        "import": ("get", reverse("kpis:import")),
        "targets": ("get", reverse("kpis:targets", args=[s, 2026])),
        "indicator_create": ("get", reverse("kpis:indicator_create")),
        "indicator_edit": ("get", reverse("kpis:indicator_edit", args=[s])),
        "locks": ("get", reverse("kpis:locks")),
    }


ENTERERS = {"manager": 200, "ops": 200, "admin": 200}
MANAGERS = {"ops": 200, "admin": 200}
ALLOWED = {
    "overview": dict.fromkeys(EVERYONE, 200),
    "department": dict.fromkeys(EVERYONE, 200),
    "indicator": dict.fromkeys(EVERYONE, 200),
    "indicator_personal": {**dict.fromkeys(EVERYONE, 200), "outsider": 404},
    "measurement": dict.fromkeys(EVERYONE, 200),
    "measurement_personal": {**dict.fromkeys(EVERYONE, 200), "outsider": 404},
    "measurement_post": {**dict.fromkeys(EVERYONE, 403), "manager": 302, "ops": 302, "admin": 302},
    "enter": {**dict.fromkeys(EVERYONE, 403), **ENTERERS},
    "enter_field": {**dict.fromkeys(EVERYONE, 403), **ENTERERS},
    "export": {**dict.fromkeys(EVERYONE, 403), **ENTERERS},
    "template": {**dict.fromkeys(EVERYONE, 403), **ENTERERS},
    # gm heads the root department, so he may import for his own indicators
    "import": {**dict.fromkeys(EVERYONE, 403), **ENTERERS, "gm": 200},
    "targets": {**dict.fromkeys(EVERYONE, 403), **MANAGERS},
    "indicator_create": {**dict.fromkeys(EVERYONE, 403), **MANAGERS},
    "indicator_edit": {**dict.fromkeys(EVERYONE, 403), **MANAGERS},
    "locks": {**dict.fromkeys(EVERYONE, 403), **MANAGERS},
}
CASES = [(view, who, code) for view, table in ALLOWED.items() for who, code in table.items()]


@pytest.mark.parametrize("view, who, expected", CASES)
def test_who_may_open_which_page(kpi, client_for, view, who, expected):
    method, url = urls(kpi)[view]
    data = {"value": "90", "note": ""} if method == "post" else None
    response = getattr(client_for(kpi[who]), method)(url, data)
    assert response.status_code == expected


@pytest.mark.parametrize("view", list(ALLOWED))
def test_anonymous_people_are_sent_to_log_in(kpi, client_for, view):
    method, url = urls(kpi)[view]
    response = getattr(client_for(None), method)(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_responsible_person_enters_figures_of_another_department(kpi, client_for):
    kpi["ops_kpi"].responsible = kpi["staff"]
    kpi["ops_kpi"].save()
    c = client_for(kpi["staff"])
    assert c.get(reverse("kpis:enter", args=["ops", MONTH])).status_code == 200
    r = c.post(reverse("kpis:enter_field", args=["ops", MONTH, kpi["ops_kpi"].pk]), {"value": "88"})
    assert r.status_code == 200 and kpi["ops_kpi"].measurements.get().value == D("88")
    # ... but only that indicator, not the rest of that department
    assert c.post(reverse("kpis:measurement", args=[kpi["sales_kpi"].pk, MONTH]), {"value": "1"}).status_code == 403


def test_a_department_head_cannot_enter_another_departments_figure(kpi, client_for):
    r = client_for(kpi["manager"]).post(reverse("kpis:measurement", args=[kpi["ops_kpi"].pk, MONTH]), {"value": "1"})
    assert r.status_code == 403 and not kpi["ops_kpi"].measurements.exists()


def test_someone_elses_import_is_not_found(kpi, client_for):
    batch = FigureImport.objects.create(created_by=kpi["manager"], filename="x.csv", rows=[])
    assert client_for(kpi["ops"]).get(reverse("kpis:import_preview", args=[batch.pk])).status_code == 404
    assert client_for(kpi["manager"]).get(reverse("kpis:import_preview", args=[batch.pk])).status_code == 200


@pytest.mark.parametrize("who, expected", [("staff", 200), ("manager", 200), ("outsider", 404)])
def test_evidence_download_follows_indicator_visibility(kpi, client_for, who, expected):
    from django.core.files.base import ContentFile

    m = MeasurementFactory(indicator=kpi["personal_kpi"], year=2026, index=3)
    m.evidence.save("proof.pdf", ContentFile(b"%PDF-1.4"))
    r = client_for(kpi[who]).get(reverse("kpis:evidence", args=[kpi["personal_kpi"].pk, MONTH]))
    assert r.status_code == expected


def test_unknown_indicator_period_and_department_are_not_found(kpi, client_for):
    c = client_for(kpi["ops"])
    assert c.get(reverse("kpis:indicator", args=[99999])).status_code == 404
    assert c.get(reverse("kpis:department", args=["nope"])).status_code == 404
    assert c.get(reverse("kpis:measurement", args=[kpi["sales_kpi"].pk, "2026-Q1"])).status_code == 404
    assert c.get(reverse("kpis:export", args=["sales", MONTH, "pdf"])).status_code == 404
