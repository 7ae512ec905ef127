"""The indicators' reminders: the first chase (job) and the department head (scan), once each."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from apps.notifications import reminding
from apps.notifications.models import Notification
from apps.scheduling.runner import run_job

DAY = date(2026, 11, 20)  # a Friday


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def sent(kind, recipient=None):
    qs = Notification.objects.filter(kind=kind)
    return qs.filter(recipient=recipient).count() if recipient else qs.count()


def test_the_reminder_scan_finds_this_modules_sources():
    from apps.kpis.reminders import SOURCES

    assert {s.name for s in SOURCES} == {"kpis.figures_missing"}
    assert {"kpis.figures_missing"} <= {s.name for s in reminding.all_sources()}


# --- Indicators ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_missing_figure_goes_to_the_responsible_person_then_the_department_head(org):
    from apps.kpis.tests.factories import IndicatorFactory

    IndicatorFactory(
        department=org["sales_dept"],
        responsible=org["staff"],
        active_from=date(2026, 9, 1),
        reminder_days=5,
        name="客户满意度",
    )
    # October's figure: due 5 working days after Saturday 31 October, on Friday 6 November, then
    # chased; the head is told 5 working days later, after Friday 13 November (September's: after
    # 20 October, the National Day week and its make-up Saturday counted by the calendar).
    today = date(2026, 11, 16)
    assert run_job("kpis.remind_missing_figures", now=at(today)).items == 2  # September and October
    assert sent("kpis.figure_missing", org["staff"]) == 2
    reminding.scan_all(at(today))
    assert sent("kpis.figures_missing_head", org["manager"]) == 2
    reminding.scan_all(at(today))
    assert run_job("kpis.remind_missing_figures", now=at(today)).items == 0
    assert sent("kpis.figures_missing_head") == 2


@pytest.mark.django_db
def test_the_home_card_lists_the_same_missing_figures_as_the_kpi_module(org):
    from apps.kpis import selectors
    from apps.kpis.reminders import missing_for
    from apps.kpis.tests.factories import IndicatorFactory

    IndicatorFactory(department=org["sales_dept"], responsible=org["staff"], active_from=date(2025, 3, 1))
    IndicatorFactory(
        department=org["sales_dept"], responsible=None, frequency="quarterly", active_from=date(2025, 1, 1)
    )
    IndicatorFactory(department=org["ops_dept"], responsible=org["ops"], active_from=date(2026, 1, 1))
    today = date(2026, 11, 21)
    for user in (org["staff"], org["manager"], org["ops"], org["gm"]):
        expected = {
            (m.indicator.pk, m.period.key) for m in selectors.figures_missing(today=today) if m.recipient_id == user.pk
        }
        assert {(m.indicator.pk, m.period.key) for m in missing_for(user, today)} == expected
