from datetime import date
from decimal import Decimal as D

import pytest

from apps.kpis import selectors, services
from apps.kpis.achievement import Status
from apps.kpis.periods import Period
from apps.kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from apps.notifications.models import Notification, SentReminder

pytestmark = pytest.mark.django_db
Q1 = Period(2026, 1, "quarterly")


def _month(ind, month, value=None, target=None):
    if value is not None:
        MeasurementFactory(indicator=ind, year=2026, index=month, value=D(value))
    if target is not None:
        TargetFactory(indicator=ind, year=2026, index=month, value=D(target))


@pytest.fixture
def cascade(org):
    """Company sales (sum) -> sales department -> two people."""
    company = IndicatorFactory(code="C", scope="company", department=org["root"], year_rule="sum", rollup="sum")
    dept = IndicatorFactory(code="D", department=org["sales_dept"], parent=company, year_rule="sum", rollup="sum")
    a = IndicatorFactory(
        code="PA",
        scope="person",
        person=org["staff"],
        department=org["sales_dept"],
        parent=dept,
        year_rule="sum",
        weight=3,
    )
    b = IndicatorFactory(
        code="PB",
        scope="person",
        person=org["manager"],
        department=org["sales_dept"],
        parent=dept,
        year_rule="sum",
        weight=1,
    )
    return {"company": company, "dept": dept, "a": a, "b": b, **org}


def test_kpi_achievement_for_the_indicator_itself(cascade):
    _month(cascade["dept"], 3, 90, 100)
    got = selectors.kpi_achievement(indicator=cascade["dept"], period="2026-03")
    assert (got.actual, got.target, got.achievement, got.status) == (D(90), D(100), D("90.0"), Status.AMBER)


def test_kpi_achievement_for_a_department_finds_its_level_in_the_cascade(cascade):
    _month(cascade["dept"], 3, 120, 100)
    got = selectors.kpi_achievement(
        indicator=cascade["company"], period=Period(2026, 3), department=cascade["sales_dept"]
    )
    assert got.indicator == cascade["dept"] and got.status == Status.GREEN


def test_kpi_achievement_for_a_person_uses_their_own_indicator(cascade):
    _month(cascade["a"], 3, 50, 100)
    got = selectors.kpi_achievement(indicator=cascade["company"], period="2026-03", user=cascade["staff"])
    assert got.indicator == cascade["a"] and got.achievement == D("50.0") and got.status == Status.RED


def test_kpi_achievement_for_a_person_without_one_falls_back_to_their_department(cascade, make_user):
    colleague = make_user(department=cascade["sales_dept"])
    _month(cascade["dept"], 3, 100, 100)
    assert (
        selectors.kpi_achievement(indicator=cascade["company"], period="2026-03", user=colleague).indicator
        == cascade["dept"]
    )


def test_kpi_achievement_for_a_quarter_adds_up_a_monthly_flow(cascade):
    for month, (value, target) in enumerate([(30, 30), (30, 30), (30, 40)], start=1):
        _month(cascade["dept"], month, value, target)
    got = selectors.kpi_achievement(indicator=cascade["dept"], period=Q1)
    assert (got.actual, got.target, got.achievement) == (D(90), D(100), D("90.0"))


def test_kpi_achievement_for_a_quarter_averages_a_monthly_rate(org):
    rate = IndicatorFactory(department=org["sales_dept"], year_rule="average")
    for month, value in enumerate([90, 95, 100], start=1):
        _month(rate, month, value, 100)
    assert selectors.kpi_achievement(indicator=rate, period="2026-Q1").actual == D(95)


@pytest.mark.parametrize("months", [[1, 2], []])
def test_kpi_achievement_is_none_when_a_figure_is_missing(cascade, months):
    for m in months:
        _month(cascade["dept"], m, 10, 10)
    assert selectors.kpi_achievement(indicator=cascade["dept"], period=Q1) is None


def test_kpi_achievement_is_none_for_a_department_outside_the_cascade(cascade):
    assert (
        selectors.kpi_achievement(indicator=cascade["company"], period="2026-03", department=cascade["ops_dept"])
        is None
    )


def test_cascade_rolls_up_missing_levels_and_never_counts_a_gap_as_zero(cascade):
    _month(cascade["a"], 3, 60, 50)
    _month(cascade["b"], 3, 40, 50)
    _month(cascade["company"], 3, None, 120)
    tree = selectors.cascade_tree(cascade["company"], Period(2026, 3))
    dept = tree.children[0]
    assert (dept.figure.actual, dept.figure.target, dept.figure.rolled_up) == (D(100), D(100), True)
    assert (tree.figure.actual, tree.figure.achievement) == (D(100), D("83.3"))
    _month(cascade["a"], 4, 60, 50)
    april = selectors.cascade_tree(cascade["company"], Period(2026, 4))
    assert april.figure.actual is None and april.figure.status == Status.MISSING


def test_weighted_roll_up(cascade):
    cascade["dept"].rollup = "weighted"
    cascade["dept"].save()
    _month(cascade["a"], 3, 100)
    _month(cascade["b"], 3, 60)
    tree = selectors.cascade_tree(cascade["dept"], Period(2026, 3))
    assert tree.figure.actual == D(90)


def test_overview_puts_the_worst_first_and_counts_by_status(org):
    def make(code, value, target):
        return _month(IndicatorFactory(code=code, department=org["sales_dept"]), 3, value, target)

    make("GOOD", 100, 100)
    make("RED", 50, 100)
    make("AMBER", 95, 100)
    make("GONE", None, 100)
    make("REDDER", 10, 100)
    data = selectors.overview(user=org["staff"], month=Period(2026, 3))
    assert [f.indicator.code for f in data["figures"]] == ["REDDER", "RED", "GONE", "AMBER", "GOOD"]
    assert data["counts"] == {"green": 1, "amber": 1, "red": 2, "missing": 1, "no_target": 0}
    assert data["departments"][0]["counts"]["red"] == 2
    gone = data["figures"][2]
    assert gone.actual is None and gone.achievement is None


def test_personal_indicators_are_hidden_from_colleagues(kpi):
    visible = lambda who: set(selectors.visible_indicators(kpi[who]).values_list("code", flat=True))  # noqa: E731
    assert visible("outsider") == {"S-1", "O-1"}
    for who in ("staff", "manager", "gm", "hr", "ops", "admin"):
        assert "P-1" in visible(who), who


def test_sparkline_leaves_a_gap_for_a_missing_figure():
    s = selectors.sparkline([D(1), D(2), None, D(3)], [D(2)] * 4)
    assert len(s["segments"]) == 2 and s["target"]


def test_figures_missing_after_n_days_and_reminders_are_sent_once(org):
    ind = IndicatorFactory(department=org["sales_dept"], active_from=date(2026, 1, 1), reminder_days=5)
    late = IndicatorFactory(
        department=org["sales_dept"], active_from=date(2026, 1, 1), reminder_days=10, responsible=org["staff"]
    )
    MeasurementFactory(indicator=ind, year=2026, index=1)
    MeasurementFactory(indicator=late, year=2026, index=1)
    # February ended on Saturday the 28th (a make-up working day): 5 working days later is Friday 6 March
    assert selectors.figures_missing(today=date(2026, 3, 6)) == []
    on = date(2026, 3, 9)
    missing = {(m.indicator.pk, m.period.key) for m in selectors.figures_missing(today=on)}
    assert missing == {(ind.pk, "2026-02")}
    assert services.figures_missing_remind(today=on) == 1
    assert services.figures_missing_remind(today=on) == 0
    note = Notification.objects.get()
    assert note.recipient == org["manager"] and note.kind == "kpis.figure_missing"
    # a run that missed days catches up with everything still missing, once
    # ind 03 (due 8 April, after Qingming), late 02 (13 March), late 03 (15 April)
    assert services.figures_missing_remind(today=date(2026, 4, 20)) == 3
    assert SentReminder.objects.filter(kind="kpis.figure_missing").count() == 4  # the common ledger
    assert Notification.objects.filter(recipient=org["staff"]).count() == 2


def test_a_figure_entered_later_is_no_longer_missing(org):
    ind = IndicatorFactory(department=org["sales_dept"], active_from=date(2026, 1, 1))
    assert len(selectors.figures_missing(today=date(2026, 2, 10))) == 1
    MeasurementFactory(indicator=ind, year=2026, index=1)
    assert selectors.figures_missing(today=date(2026, 2, 10)) == []


def test_kpi_achievement_speaks_the_appraisal_cycles_period_code(cascade):
    """apps.appraisals passes cycle codes like "2026Q1" with the person and their department."""
    for month in (1, 2, 3):
        _month(cascade["dept"], month, 40, 40)
    got = selectors.kpi_achievement(
        indicator=cascade["company"], period="2026Q1", user=cascade["outsider"], department=cascade["sales_dept"]
    )
    assert got.indicator == cascade["dept"] and got.period == Q1 and got.status == Status.GREEN


def test_kpi_achievement_for_a_month_of_a_quarterly_kpi_uses_its_quarter(org):
    ind = IndicatorFactory(department=org["sales_dept"], frequency="quarterly")
    MeasurementFactory(indicator=ind, year=2026, index=1, value=D(80))
    TargetFactory(indicator=ind, year=2026, index=1, value=D(100))
    got = selectors.kpi_achievement(indicator=ind, period="2026-02")
    assert (got.period, got.achievement, got.status) == (Q1, D("80.0"), Status.RED)


def test_missing_figures_name_who_is_asked(org):
    IndicatorFactory(department=org["sales_dept"], active_from=date(2026, 1, 1))
    [item] = selectors.figures_missing(today=date(2026, 2, 10))
    assert item.recipient_id == org["manager"].pk and item.period.key == "2026-01"
