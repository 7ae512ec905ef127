import uuid
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.scheduling import calendar
from apps.scheduling.calendar import (
    add_working_days,
    first_working_day_of_quarter,
    is_working_day,
    next_working_day,
    previous_quarter,
    weekly_occasion,
    working_days_between,
)
from apps.scheduling.models import CompanyDay

pytestmark = pytest.mark.django_db

FRI, SAT, MON = date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 23)


@pytest.mark.parametrize(
    "start,end,expected",
    [
        (FRI, FRI, 0),
        (FRI, SAT, 0),
        (FRI, MON, 1),
        (MON, date(2026, 11, 26), 3),
        (FRI, date(2026, 11, 27), 5),
        (MON, date(2026, 12, 7), 10),
        # National Day 2026: 1–7 October off, Saturday 10 October worked (调休)
        (date(2026, 9, 30), date(2026, 10, 8), 1),
        (date(2026, 9, 30), date(2026, 10, 10), 3),
        # Spring Festival 2026: 15–23 February off, Saturdays 14 and 28 February worked
        (date(2026, 2, 13), date(2026, 2, 28), 6),
    ],
)
def test_working_days_between_skips_weekends_and_public_holidays(start, end, expected):
    assert working_days_between(start, end) == expected


def test_adding_working_days_skips_weekends():
    assert add_working_days(FRI, 1) == MON
    assert add_working_days(SAT, 0) == MON
    assert add_working_days(SAT, 1) == MON
    assert add_working_days(MON, 5) == date(2026, 11, 30)


def test_negative_working_days_count_back():
    assert add_working_days(MON, -1) == FRI
    assert add_working_days(SAT, -1) == FRI
    assert add_working_days(MON, -3) == date(2026, 11, 18)
    assert add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)  # back over National Day
    assert add_working_days(date(2026, 10, 12), -1) == date(2026, 10, 10)  # the make-up Saturday


@pytest.mark.parametrize(
    "day,working",
    [
        (date(2026, 10, 1), False),  # National Day, a Thursday
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday, make-up working day
        (date(2026, 2, 14), True),  # Saturday before the Spring Festival, worked
        (date(2026, 2, 23), False),  # Monday, still Spring Festival
        (date(2026, 1, 4), True),  # Sunday after New Year, worked
        (date(2026, 5, 9), True),  # Saturday after Labour Day, worked
        (date(2026, 5, 5), False),
        (date(2026, 11, 21), False),  # an ordinary Saturday
    ],
)
def test_the_state_council_calendar(day, working):
    assert is_working_day(day) is working


def test_a_year_the_package_does_not_know_is_monday_to_friday():
    last = calendar.OFFICIAL_YEARS[-1]
    year = last + 1
    assert calendar.knows_year(last) and not calendar.knows_year(year)
    assert calendar.unknown_years([last, year, year]) == [year]
    week = [date(year, 10, 4) + timedelta(days=i) for i in range(7)]  # a week past the package
    assert [is_working_day(d) for d in week] == [d.weekday() < 5 for d in week]


@pytest.mark.parametrize(
    "day,expected",
    [
        (date(2026, 1, 15), date(2026, 1, 4)),  # 1–3 January off; Sunday 4 January worked
        (date(2026, 3, 31), date(2026, 1, 4)),
        (date(2026, 5, 2), date(2026, 4, 1)),
        (date(2026, 8, 2), date(2026, 7, 1)),
        (date(2026, 11, 21), date(2026, 10, 8)),  # National Day week
        (date(2027, 1, 5), date(2027, 1, 1)),  # 2027 unknown to the package: Monday–Friday
        (date(2025, 11, 1), date(2025, 10, 9)),
        (date(2028, 4, 10), date(2028, 4, 3)),  # 1 April 2028 is a Saturday
    ],
)
def test_first_working_day_of_the_quarter(day, expected):
    assert first_working_day_of_quarter(day) == expected


def test_previous_quarter_wraps_the_year():
    assert previous_quarter(date(2026, 1, 2)) == (2025, 4)
    assert previous_quarter(date(2026, 11, 21)) == (2026, 3)


def test_weekly_occasion_moves_once_a_week():
    due = date(2026, 11, 1)
    assert weekly_occasion(due, date(2026, 11, 1)) == due
    assert weekly_occasion(due, date(2026, 11, 7)) == due
    assert weekly_occasion(due, date(2026, 11, 8)) == date(2026, 11, 8)
    assert weekly_occasion(due, date(2026, 11, 20)) == date(2026, 11, 15)


# --- the company's own days ----------------------------------------------------------------------


def test_company_closures_and_extra_working_days_count_at_once():
    wed, thu = date(2026, 11, 25), date(2026, 11, 26)
    assert add_working_days(MON, 3) == thu
    CompanyDay.objects.create(kind=CompanyDay.Kind.CLOSED, first_day=wed, last_day=thu, reason="年会")
    assert not is_working_day(wed) and not is_working_day(thu)
    assert add_working_days(MON, 3) == date(2026, 11, 30)
    assert working_days_between(MON, date(2026, 11, 27)) == 2
    CompanyDay.objects.create(kind=CompanyDay.Kind.WORKING, first_day=SAT, last_day=SAT, reason="盘点")
    assert is_working_day(SAT) and next_working_day(SAT) == SAT
    assert add_working_days(FRI, 1) == SAT
    # a closure wins over an extra working day and over the State Council's make-up Saturday
    CompanyDay.objects.create(kind=CompanyDay.Kind.CLOSED, first_day=SAT, last_day=SAT, reason="停电")
    CompanyDay.objects.create(
        kind=CompanyDay.Kind.CLOSED, first_day=date(2026, 10, 10), last_day=date(2026, 10, 10), reason="搬迁"
    )
    assert not is_working_day(SAT) and not is_working_day(date(2026, 10, 10))
    CompanyDay.objects.filter(reason="停电").delete()
    assert is_working_day(SAT)


def test_an_extra_working_day_in_a_holiday():
    national_day = date(2026, 10, 1)
    CompanyDay.objects.create(
        kind=CompanyDay.Kind.WORKING, first_day=national_day, last_day=national_day, reason="值班"
    )
    assert first_working_day_of_quarter(date(2026, 11, 1)) == national_day


def test_a_loop_over_many_days_reads_the_company_days_once():
    CompanyDay.objects.create(kind=CompanyDay.Kind.CLOSED, first_day=MON, last_day=MON, reason="x")
    calendar.forget_company_days()
    start = date(2026, 1, 1)
    with CaptureQueriesContext(connection) as ctx:
        total = sum(working_days_between(start, start + timedelta(days=i)) for i in range(0, 400, 7))
        deadlines = [add_working_days(start + timedelta(days=i), 5) for i in range(365)]
    assert len(ctx.captured_queries) == 1
    assert total > 0 and len(set(deadlines)) > 200


@pytest.fixture
def own_stamp(monkeypatch):
    """A version stamp of this test's own, so other test processes sharing Redis never see it."""
    monkeypatch.setattr(calendar, "VERSION_KEY", f"test:calendar:{uuid.uuid4().hex}")
    calendar.forget_company_days()
    yield
    cache.delete(calendar.VERSION_KEY)


def test_another_process_sees_a_change_through_the_shared_version_stamp(monkeypatch, own_stamp):
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 3600)
    assert is_working_day(MON)
    # Another process saves a closure: the row and the stamp change, this process's copy does not.
    CompanyDay.objects.bulk_create([CompanyDay(kind=CompanyDay.Kind.CLOSED, first_day=MON, last_day=MON, reason="x")])
    assert is_working_day(MON)  # within RECHECK_SECONDS, still the copy
    cache.set(calendar.VERSION_KEY, "changed elsewhere", timeout=None)
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0)
    assert not is_working_day(MON)


def test_saving_bumps_the_shared_stamp_on_commit(django_capture_on_commit_callbacks, own_stamp):
    is_working_day(MON)
    before = cache.get(calendar.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        CompanyDay.objects.create(kind=CompanyDay.Kind.CLOSED, first_day=MON, last_day=MON, reason="x")
    assert cache.get(calendar.VERSION_KEY) != before
    assert not is_working_day(MON)


# --- admin ------------------------------------------------------------------------------------------


def test_administrators_keep_the_company_calendar_in_admin(client_for, org):
    client = client_for(org["admin"])  # the admin role, not a superuser
    response = client.post(
        "/admin/scheduling/companyday/add/",
        {"kind": "closed", "first_day": "2026-12-24", "last_day": "2026-12-25", "reason": "公司年会"},
    )
    assert response.status_code == 302
    assert not is_working_day(date(2026, 12, 24))
    day = CompanyDay.objects.get()
    page = client.get(f"/admin/scheduling/companyday/{day.pk}/change/")
    assert page.status_code == 200
    response = client.post(f"/admin/scheduling/companyday/{day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not CompanyDay.objects.exists()
    assert is_working_day(date(2026, 12, 24))


def test_a_backwards_range_is_refused_with_the_form_kept(client_for, org):
    response = client_for(org["admin"]).post(
        "/admin/scheduling/companyday/add/",
        {"kind": "closed", "first_day": "2026-12-25", "last_day": "2026-12-24", "reason": "公司年会"},
    )
    assert response.status_code == 200 and not CompanyDay.objects.exists()
    assert "公司年会" in response.content.decode()


def test_only_administrators_reach_the_company_calendar(client_for, org):
    for who in ("staff", "hr", "ops", "manager", "gm"):
        assert client_for(org[who]).get("/admin/scheduling/companyday/").status_code == 302, who
    assert client_for(None).get("/admin/scheduling/companyday/").status_code == 302


@pytest.mark.parametrize(
    "today,warns",
    [("2026-03-01 10:00 +0800", False), ("2026-12-01 10:00 +0800", True), ("2027-06-01 10:00 +0800", True)],
)
def test_the_admin_page_warns_about_years_the_package_does_not_know(client_for, org, today, warns):
    import time_machine

    with time_machine.travel(today, tick=False):
        html = client_for(org["admin"]).get("/admin/scheduling/companyday/").content.decode()
    assert ("chinesecalendar" in html) is warns
    if warns:
        assert str(calendar.OFFICIAL_YEARS[-1] + 1) in html


def test_the_company_calendar_admin_costs_the_same_queries_for_5_or_50_rows(client_for, org):
    client = client_for(org["admin"])

    def add(n, start):
        CompanyDay.objects.bulk_create(
            [
                CompanyDay(
                    first_day=date(2026, 1, 1) + timedelta(days=i), last_day=date(2026, 1, 1) + timedelta(days=i)
                )
                for i in range(start, start + n)
            ]
        )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/admin/scheduling/companyday/").status_code == 200
        return len(ctx.captured_queries)

    add(5, 0)
    few = count()
    add(45, 5)
    assert count() == few
