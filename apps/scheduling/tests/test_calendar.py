from datetime import date

import pytest

from apps.scheduling.calendar import (
    add_working_days,
    first_working_day_of_quarter,
    previous_quarter,
    weekly_occasion,
    working_days_between,
)

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
    ],
)
def test_working_days_between_skips_weekends(start, end, expected):
    assert working_days_between(start, end) == expected


def test_adding_working_days_skips_weekends():
    assert add_working_days(FRI, 1) == MON
    assert add_working_days(SAT, 0) == MON
    assert add_working_days(MON, 5) == date(2026, 11, 30)


@pytest.mark.parametrize(
    "day,expected",
    [
        (date(2026, 1, 15), date(2026, 1, 1)),
        (date(2026, 3, 31), date(2026, 1, 1)),
        (date(2026, 8, 2), date(2026, 7, 1)),
        (date(2027, 1, 5), date(2027, 1, 1)),
        (date(2026, 11, 21), date(2026, 10, 1)),
    ],
)
def test_first_working_day_of_the_quarter(day, expected):
    assert first_working_day_of_quarter(day) == expected


def test_first_working_day_skips_a_weekend_start():
    assert first_working_day_of_quarter(date(2025, 11, 1)) == date(2025, 10, 1)  # Wednesday
    assert first_working_day_of_quarter(date(2028, 4, 10)) == date(2028, 4, 3)  # 1 April 2028 is a Saturday


def test_previous_quarter_wraps_the_year():
    assert previous_quarter(date(2026, 1, 2)) == (2025, 4)
    assert previous_quarter(date(2026, 11, 21)) == (2026, 3)


def test_weekly_occasion_moves_once_a_week():
    due = date(2026, 11, 1)
    assert weekly_occasion(due, date(2026, 11, 1)) == due
    assert weekly_occasion(due, date(2026, 11, 7)) == due
    assert weekly_occasion(due, date(2026, 11, 8)) == date(2026, 11, 8)
    assert weekly_occasion(due, date(2026, 11, 20)) == date(2026, 11, 15)
