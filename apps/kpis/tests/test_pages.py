"""Pages behave: HTMX entry per field, the figure form, targets, locks, definitions."""

from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse

from apps.kpis import services
from apps.kpis.models import Indicator, Measurement, PeriodLock, Target
from apps.kpis.periods import Period
from apps.kpis.tests.factories import IndicatorFactory, TargetFactory

pytestmark = pytest.mark.django_db
MAR = Period(2026, 3)


def field_url(kpi, ind=None):
    return reverse("kpis:enter_field", args=["sales", "2026-03", (ind or kpi["sales_kpi"]).pk])


def post_field(client, url, **data):
    return client.post(url, data, HTTP_HX_REQUEST="true")


def test_entry_page_lists_what_is_due_this_month_only(kpi, client_for):
    IndicatorFactory(code="S-Q", department=kpi["sales_dept"], frequency="quarterly")
    IndicatorFactory(code="S-A", department=kpi["sales_dept"], frequency="annual")
    c = client_for(kpi["manager"])
    march = c.get(reverse("kpis:enter", args=["sales", "2026-03"]))
    assert {r["indicator"].code for r in march.context["rows"]} == {"S-1", "P-1", "S-Q"}
    feb = c.get(reverse("kpis:enter", args=["sales", "2026-02"]))
    assert {r["indicator"].code for r in feb.context["rows"]} == {"S-1", "P-1"}
    dec = c.get(reverse("kpis:enter", args=["sales", "2025-12"]))
    assert {r["indicator"].code for r in dec.context["rows"]} == {"S-1", "P-1", "S-Q", "S-A"}


def test_a_field_saves_on_its_own_and_returns_its_row(kpi, client_for):
    TargetFactory(indicator=kpi["sales_kpi"], year=2026, index=3, value=D(100))
    r = post_field(client_for(kpi["manager"]), field_url(kpi), value="9 5", note="按时")
    html = r.content.decode()
    assert r.status_code == 200 and html.lstrip().startswith("<tr") and "Saved" in html and "95.0%" in html
    m = Measurement.objects.get()
    assert (m.value, m.note) == (D(95), "按时")


@pytest.mark.parametrize("typed", ["abc", "1.2.3", "12a", "1e400"])
def test_numbers_only(kpi, client_for, typed):
    r = post_field(client_for(kpi["manager"]), field_url(kpi), value=typed)
    assert "Numbers only" in r.content.decode() and not Measurement.objects.exists()


@pytest.mark.parametrize("typed, value", [("1,234.5", D("1234.5")), ("８８", D(88)), ("85%", D(85)), (" 7 ", D(7))])
def test_friendly_number_spellings_are_accepted(kpi, client_for, typed, value):
    kpi["sales_kpi"].valid_max = None
    kpi["sales_kpi"].save()
    post_field(client_for(kpi["manager"]), field_url(kpi), value=typed)
    assert Measurement.objects.get().value == value


def test_an_out_of_range_figure_is_flagged_before_saving_then_saved_when_confirmed(kpi, client_for):
    c = client_for(kpi["manager"])
    r = post_field(c, field_url(kpi), value="180")
    html = r.content.decode()
    assert "outside the expected range" in html and "Save anyway" in html and 'value="180"' in html
    assert not Measurement.objects.exists()
    post_field(c, field_url(kpi), value="180", confirm="1")
    assert Measurement.objects.get().value == D(180)


def test_an_empty_field_saves_nothing(kpi, client_for):
    post_field(client_for(kpi["manager"]), field_url(kpi), value="")
    assert not Measurement.objects.exists()


def test_a_locked_row_is_read_only_for_the_department_and_editable_for_ops(kpi, client_for):
    services.period_lock(period=MAR, by=kpi["ops"])
    page = client_for(kpi["manager"]).get(reverse("kpis:enter", args=["sales", "2026-03"]))
    assert not page.context["rows"][0]["can_edit"] and "bi-lock-fill" in page.content.decode()
    r = post_field(client_for(kpi["manager"]), field_url(kpi), value="90")
    assert "locked" in r.content.decode() and not Measurement.objects.exists()
    post_field(client_for(kpi["ops"]), field_url(kpi), value="90")
    assert Measurement.objects.get().value == D(90)


def test_the_figure_form_corrects_with_a_reason_and_shows_the_history(kpi, client_for):
    services.measurement_save(indicator=kpi["sales_kpi"], period=MAR, value=D(80), by=kpi["manager"])
    c = client_for(kpi["manager"])
    url = reverse("kpis:measurement", args=[kpi["sales_kpi"].pk, "2026-03"])
    r = c.post(url, {"value": "82", "note": "补录", "reason": "漏登"})
    assert r.status_code == 302
    page = c.get(url).content.decode()
    assert "80 → <strong>82</strong>" in page and "漏登" in page


def test_the_figure_form_asks_before_saving_an_implausible_value(kpi, client_for):
    c = client_for(kpi["manager"])
    url = reverse("kpis:measurement", args=[kpi["sales_kpi"].pk, "2026-03"])
    r = c.post(url, {"value": "-5"})
    assert r.status_code == 200 and "outside the expected range" in r.content.decode()
    assert c.post(url, {"value": "-5", "confirm": "on"}).status_code == 302


def test_targets_page_splits_a_year_evenly(kpi, client_for):
    ind = IndicatorFactory(department=kpi["sales_dept"], year_rule="sum", frequency="quarterly")
    r = client_for(kpi["ops"]).post(reverse("kpis:targets", args=[ind.pk, 2026]), {"mode": "even", "annual": "400"})
    assert r.status_code == 302
    assert list(Target.objects.filter(indicator=ind).values_list("value", flat=True)) == [D(100)] * 4


def test_targets_page_by_hand(kpi, client_for):
    ind = IndicatorFactory(department=kpi["sales_dept"], frequency="quarterly")
    data = {"mode": "manual", "p1": "1", "p2": "2", "p3": "", "p4": "4"}
    client_for(kpi["ops"]).post(reverse("kpis:targets", args=[ind.pk, 2026]), data)
    assert dict(Target.objects.filter(indicator=ind).values_list("index", "value")) == {1: D(1), 2: D(2), 4: D(4)}


def test_ops_lock_and_unlock_a_period_from_the_page(kpi, client_for):
    c = client_for(kpi["ops"])
    c.post(reverse("kpis:locks"), {"period": "2026-Q1", "action": "lock"})
    assert PeriodLock.objects.filter(frequency="quarterly", year=2026, index=1).exists()
    c.post(reverse("kpis:locks"), {"period": "2026-Q1", "action": "unlock"})
    assert not PeriodLock.objects.exists()


def test_ops_define_an_indicator_and_a_cycle_is_refused(kpi, client_for):
    c = client_for(kpi["ops"])
    data = {
        "code": "NEW-1",
        "name": "新指标",
        "unit": "%",
        "direction": "higher",
        "frequency": "monthly",
        "year_rule": "average",
        "scope": "department",
        "department": kpi["sales_dept"].pk,
        "rollup": "sum",
        "weight": "1",
        "green_pct": "100",
        "amber_pct": "90",
        "reminder_days": "5",
        "active_from": "2026-01-01",
        "is_active": "on",
        "sort_order": "0",
        "parent": kpi["sales_kpi"].pk,
    }
    assert c.post(reverse("kpis:indicator_create"), data).status_code == 302
    child = Indicator.objects.get(code="NEW-1")
    r = c.post(
        reverse("kpis:indicator_edit", args=[kpi["sales_kpi"].pk]),
        {**data, "code": "S-1", "name": "回款率", "parent": child.pk},
    )
    assert r.status_code == 200 and "cannot sit under itself" in r.content.decode()


def test_a_range_indicator_needs_a_bound(kpi, client_for):
    data = {
        "code": "R-1",
        "name": "区间",
        "direction": "range",
        "frequency": "monthly",
        "year_rule": "average",
        "scope": "department",
        "department": kpi["sales_dept"].pk,
        "rollup": "sum",
        "weight": "1",
        "green_pct": "100",
        "amber_pct": "90",
        "reminder_days": "5",
        "active_from": "2026-01-01",
        "sort_order": "0",
    }
    r = client_for(kpi["ops"]).post(reverse("kpis:indicator_create"), data)
    assert r.status_code == 200 and "at least one bound" in r.content.decode()


@time_machine.travel("2026-11-21 10:00 +0800", tick=False)  # January 2025 is within the 24 months shown
def test_indicator_page_shows_chart_data_with_gaps_for_missing_figures(kpi, client_for, settings):
    ind = kpi["sales_kpi"]
    services.measurement_save(indicator=ind, period=Period(2025, 1), value=D(90), by=kpi["ops"])
    r = client_for(kpi["staff"]).get(reverse("kpis:indicator", args=[ind.pk]))
    chart = r.context["chart"]
    assert chart["actual"][0] == 90.0 and None in chart["actual"]
    assert 'id="kpi-chart-data"' in r.content.decode() and "chart.umd.min.js" in r.content.decode()


def test_department_page_shows_missing_as_missing_not_zero(kpi, client_for):
    TargetFactory(indicator=kpi["sales_kpi"], year=2026, index=3, value=D(100))
    r = client_for(kpi["staff"]).get(reverse("kpis:department", args=["sales"]) + "?month=2026-03")
    card = next(c for c in r.context["cards"] if c["indicator"] == kpi["sales_kpi"])
    assert card["figure"].actual is None and card["figure"].status == "missing"
    assert "Figure missing" in r.content.decode()


def test_home_card_lists_departments_with_figures_still_to_enter(kpi, client_for, django_assert_max_num_queries):
    from unittest import mock

    from apps.kpis import home
    from apps.kpis.periods import Period as P

    with mock.patch.object(home, "reporting_month", return_value=P(2026, 3)):
        with django_assert_max_num_queries(1):
            panels = home.my_work(kpi["manager"])
        [panel] = panels
        assert panel.items[0].title == "销售部" and panel.count == 2  # 回款率 and staff's own KPI
        services.measurement_save(indicator=kpi["sales_kpi"], period=MAR, value=D(90), by=kpi["manager"])
        assert home.my_work(kpi["manager"])[0].count == 1
        assert home.my_work(kpi["outsider"]) == []
    assert client_for(kpi["manager"]).get("/").status_code == 200


def test_a_field_reads_its_own_row_when_the_whole_form_is_sent(kpi, client_for):
    other = kpi["personal_kpi"]
    data = {
        f"v{kpi['sales_kpi'].pk}": "90",
        f"n{kpi['sales_kpi'].pk}": "本行",
        f"v{other.pk}": "15",
        f"n{other.pk}": "别行",
    }
    post_field(client_for(kpi["manager"]), field_url(kpi), **data)
    m = Measurement.objects.get()
    assert (m.indicator, m.value, m.note) == (kpi["sales_kpi"], D(90), "本行")


def test_a_years_targets_can_carry_their_own_thresholds(kpi, client_for):
    ind = IndicatorFactory(department=kpi["sales_dept"], frequency="quarterly")
    client_for(kpi["ops"]).post(
        reverse("kpis:targets", args=[ind.pk, 2026]),
        {"mode": "even", "annual": "100", "green_pct": "95", "amber_pct": "80"},
    )
    services.measurement_save(indicator=ind, period=Period(2026, 1, "quarterly"), value=D(96), by=kpi["ops"])
    from apps.kpis.selectors import kpi_achievement

    assert kpi_achievement(indicator=ind, period="2026-Q1").status == "green"  # 96 % >= 95 % this year
    r = client_for(kpi["ops"]).post(
        reverse("kpis:targets", args=[ind.pk, 2026]),
        {"mode": "even", "annual": "100", "green_pct": "80", "amber_pct": "95"},
    )
    assert r.status_code == 200 and "Amber must start below green" in r.content.decode()


def test_indicator_page_lists_its_linked_processes_and_ops_link_them(kpi, client_for):
    from apps.processes.tests.factories import ProcessFactory

    proc = ProcessFactory(code="SAL-CT-01", name="销售合同流程", department=kpi["sales_dept"])
    ind = kpi["sales_kpi"]
    url = reverse("kpis:indicator", args=[ind.pk])
    assert "Not linked yet." in client_for(kpi["staff"]).get(url).content.decode()
    data = {
        "code": "S-1",
        "name": "回款率",
        "unit": "%",
        "direction": "higher",
        "frequency": "monthly",
        "year_rule": "average",
        "scope": "department",
        "department": kpi["sales_dept"].pk,
        "rollup": "sum",
        "weight": "1",
        "green_pct": "100",
        "amber_pct": "90",
        "reminder_days": "5",
        "active_from": "2026-01-01",
        "is_active": "on",
        "sort_order": "0",
        "processes": [proc.pk],
    }
    assert client_for(kpi["ops"]).post(reverse("kpis:indicator_edit", args=[ind.pk]), data).status_code == 302
    page = client_for(kpi["staff"]).get(url).content.decode()
    assert "销售合同流程" in page and proc.get_absolute_url() in page
    assert list(proc.indicators.all()) == [ind]
