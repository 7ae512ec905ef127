"""Entering figures tells the truth: the ‹ › arrows of the entry page go to the previous and
next month's entry page; a period that has not begun is refused by the page, the figure form,
the service and the import, with a clear message; the import preview shows old → new where it
overwrites; a reminder for a missing figure links to the entry page of that period."""

from datetime import date, datetime, time
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.kpis import services
from apps.kpis.models import FigureImport, Measurement
from apps.kpis.periods import Period
from apps.kpis.tests.factories import IndicatorFactory
from apps.notifications import reminding
from apps.notifications.models import Notification
from apps.scheduling.runner import run_job

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(timezone.make_aware(datetime.combine(TODAY, time(10))), tick=False):
        yield


def enter_url(month):
    return reverse("kpis:enter", args=["sales", month])


def test_the_arrows_go_to_the_previous_and_next_months_entry_page(kpi, client_for):
    c = client_for(kpi["manager"])
    march = c.get(enter_url("2026-03"))
    html = march.content.decode()
    assert f'href="{enter_url("2026-02")}"' in html and f'href="{enter_url("2026-04")}"' in html
    # Following the arrow shows that month, not the same one again.
    feb = c.get(enter_url("2026-02"))
    assert feb.context["month"] == Period(2026, 2) and f'href="{enter_url("2026-01")}"' in feb.content.decode()
    # The latest reporting month (May on 15 June) has no "next".
    may = c.get(enter_url("2026-05"))
    assert may.context["next_url"] == "" and f'href="{enter_url("2026-06")}"' not in may.content.decode()
    # Across a year.
    jan = c.get(enter_url("2026-01")).content.decode()
    assert f'href="{enter_url("2025-12")}"' in jan


def test_a_month_that_has_not_begun_is_shown_read_only_with_the_reason(kpi, client_for):
    page = client_for(kpi["manager"]).get(enter_url("2026-08"))
    html = page.content.decode()
    assert page.status_code == 200 and "has not begun yet" in html
    assert not any(r["can_edit"] for r in page.context["rows"])
    assert f'href="{enter_url("2026-05")}"' in html  # a way to the month that takes figures


def test_a_period_that_has_not_begun_is_refused_by_the_field_the_form_and_the_service(kpi, client_for):
    c = client_for(kpi["manager"])
    ind = kpi["sales_kpi"]
    field = reverse("kpis:enter_field", args=["sales", "2026-08", ind.pk])
    r = c.post(field, {f"v{ind.pk}": "90"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "2026-08" in r.content.decode() and "has not begun yet" in r.content.decode()
    form = c.post(reverse("kpis:measurement", args=[ind.pk, "2026-07"]), {"value": "91", "note": "写错月份"})
    body = form.content.decode()
    assert form.status_code == 200 and "has not begun yet" in body and "写错月份" in body  # kept what was typed
    with pytest.raises(ValidationError, match="has not begun"):
        services.measurement_save(indicator=ind, period=Period(2027, 1), value=D(1), by=kpi["manager"])
    assert not Measurement.objects.exists()
    # The month in progress and the past take figures.
    services.measurement_save(indicator=ind, period=Period(2026, 6), value=D(50), by=kpi["manager"])
    services.measurement_save(indicator=ind, period=Period(2026, 5), value=D(60), by=kpi["manager"])
    assert Measurement.objects.count() == 2


def csv_upload(client, rows):
    data = ("\n".join(",".join(str(c) for c in r) for r in rows)).encode("utf-8-sig")
    client.post(reverse("kpis:import"), {"file": SimpleUploadedFile("f.csv", data)})
    return FigureImport.objects.latest("pk")


def test_the_import_refuses_a_period_that_has_not_begun_and_saves_nothing(kpi, client_for):
    c = client_for(kpi["manager"])
    batch = csv_upload(c, [["指标编码", "期间", "实际值"], ["S-1", "2026-05", "90"], ["S-1", "2027-05", "91"]])
    preview = c.get(reverse("kpis:import_preview", args=[batch.pk]))
    errors = {r.line: r.errors for r in preview.context["rows"]}
    assert errors[2] == [] and "has not begun yet" in errors[3][0]
    c.post(reverse("kpis:import_preview", args=[batch.pk]))
    assert not Measurement.objects.exists()


def test_the_import_preview_shows_old_and_new_where_it_overwrites(kpi, client_for, django_assert_max_num_queries):
    ind = kpi["sales_kpi"]
    services.measurement_save(indicator=ind, period=Period(2026, 3), value=D(80), by=kpi["manager"])
    services.measurement_save(indicator=ind, period=Period(2026, 4), value=D(70), by=kpi["manager"])
    c = client_for(kpi["manager"])
    rows = [
        ["指标编码", "期间", "实际值"],
        ["S-1", "2026-03", "85"],
        ["S-1", "2026-04", "70"],
        ["S-1", "2026-05", "60"],
    ]
    batch = csv_upload(c, rows)
    preview = c.get(reverse("kpis:import_preview", args=[batch.pk]))
    by_line = {r.line: r for r in preview.context["rows"]}
    assert (by_line[2].old, by_line[2].overwrites) == (D(80), True)
    assert (by_line[3].old, by_line[3].overwrites) == (D(70), False)  # the same figure: not a change
    assert (by_line[4].old, by_line[4].overwrites) == (None, False)
    html = preview.content.decode()
    assert "text-decoration-line-through" in html and preview.context["overwrite_count"] == 1
    # The old figures cost one query, however many rows.
    many = [["指标编码", "期间", "实际值"]] + [["S-1", f"2025-{m:02d}", str(m)] for m in range(1, 13)]
    big = csv_upload(c, many)
    with django_assert_max_num_queries(preview_queries(c, batch)):
        c.get(reverse("kpis:import_preview", args=[big.pk]))


def preview_queries(client, batch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("kpis:import_preview", args=[batch.pk]))
    return len(ctx)


def test_a_missing_figure_reminder_links_to_the_entry_page_of_its_period(org, client_for):
    IndicatorFactory(
        department=org["sales_dept"], responsible=org["staff"], active_from=date(2026, 3, 1), reminder_days=5
    )
    IndicatorFactory(department=org["sales_dept"], frequency="quarterly", active_from=date(2026, 1, 1))
    run_job("kpis.remind_missing_figures", now=timezone.now())
    reminding.scan_all(timezone.now())
    notes = Notification.objects.filter(kind__in=("kpis.figure_missing", "kpis.figures_missing_head"))
    assert notes.filter(recipient=org["staff"]).exists() and notes.filter(recipient=org["manager"]).exists()
    for note in notes.select_related("recipient"):
        assert note.url.startswith("/kpis/d/sales/enter/20"), note.url
        assert client_for(note.recipient).get(note.url).status_code == 200
    staff_urls = set(notes.filter(recipient=org["staff"]).values_list("url", flat=True))
    assert enter_url("2026-03") in staff_urls and staff_urls <= {
        enter_url(m) for m in ("2026-03", "2026-04", "2026-05")
    }
    quarterly = notes.filter(recipient=org["manager"], kind="kpis.figure_missing")  # Q1, ended in March
    assert set(quarterly.values_list("url", flat=True)) == {enter_url("2026-03")}


def test_the_home_card_links_missing_figures_to_their_entry_page(org):
    from apps.kpis.reminders import MissingFiguresToHead

    IndicatorFactory(department=org["sales_dept"], responsible=org["staff"], active_from=date(2026, 4, 1))
    count, items = MissingFiguresToHead().my_work(org["staff"], TODAY)
    assert count and {i.url for i in items} <= {enter_url(m) for m in ("2026-04", "2026-05")}
