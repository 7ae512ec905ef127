"""The portal's one working-day calendar: every deadline, "N working days", "first working day
of the quarter" and overdue count goes through here.

A day is a working day by the State Council's calendar (public holidays off, make-up working
days 调休 on weekends) as the pinned `chinesecalendar` package knows it; a year the package
does not know yet counts Monday–Friday (the admin page of the company calendar warns about
it). On top, the company's own days (`CompanyDay`, edited by administrators): closures take
days off, extra working days add days; a closure wins where both are entered.

Cheap in loops: the company's days are read once and kept in this process; a save or delete
forgets them here at once and, through a version stamp in the shared cache, in every other
process within `RECHECK_SECONDS` (one cache read per interval, no query per call)."""

import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar
from chinese_calendar import constants as official

PACKAGE = f"chinesecalendar {chinese_calendar.__version__}"
OFFICIAL_YEARS = range(min(official.holidays).year, max(official.holidays).year + 1)
_HOLIDAYS = frozenset(official.holidays)
_MAKEUP_WORKING_DAYS = frozenset(official.workdays)

VERSION_KEY = "scheduling:calendar:company-days"
RECHECK_SECONDS = 5.0


def knows_year(year: int) -> bool:
    """Whether the holiday package has the State Council's calendar for `year`."""
    return year in OFFICIAL_YEARS


def unknown_years(years) -> list[int]:
    return sorted({y for y in years if not knows_year(y)})


def is_official_working_day(day: date) -> bool:
    """The State Council's calendar alone (Monday–Friday for a year the package does not know)."""
    if day in _MAKEUP_WORKING_DAYS:
        return True
    return day.weekday() < 5 and day not in _HOLIDAYS


def is_makeup_working_day(day: date) -> bool:
    """A weekend day that is a working day (调休)."""
    return day in _MAKEUP_WORKING_DAYS


def is_public_holiday(day: date) -> bool:
    """A weekday off by the State Council's calendar."""
    return day.weekday() < 5 and day in _HOLIDAYS


# --- the company's own days, kept per process -------------------------------------------------


@dataclass
class _CompanyDays:
    closed: frozenset = field(default_factory=frozenset)
    working: frozenset = field(default_factory=frozenset)
    version: str | None = None
    checked_at: float = float("-inf")
    loaded: bool = False
    sums: dict = field(default_factory=dict)  # (day, n) -> add_working_days(day, n)


_company = _CompanyDays()


def forget_company_days() -> None:
    """Forget this process's copy: the next call reads the company's days again."""
    global _company
    _company = _CompanyDays()


def assume_no_company_days() -> None:
    """Start from "the company has entered no days" without reading them (the test suite does,
    around each test: its database has none outside the test that writes some, and that
    test's save signal makes the calendar read them back at once)."""
    global _company
    _company = _CompanyDays(loaded=True, checked_at=time.monotonic())


def company_days_changed() -> None:
    """After a committed change: this process and, via the shared cache, every other one."""
    from django.core.cache import cache

    forget_company_days()
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _company_days() -> _CompanyDays:
    global _company
    now = time.monotonic()
    if _company.loaded and now - _company.checked_at < RECHECK_SECONDS:
        return _company
    from django.core.cache import cache

    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    if not (_company.loaded and _company.version == version):
        from .models import CompanyDay

        closed, working = set(), set()
        for kind, first, last in CompanyDay.objects.values_list("kind", "first_day", "last_day"):
            days = closed if kind == CompanyDay.Kind.CLOSED else working
            days.update(first + timedelta(days=i) for i in range((last - first).days + 1))
        _company = _CompanyDays(closed=frozenset(closed), working=frozenset(working - closed), version=version)
        _company.loaded = True
    _company.checked_at = now
    return _company


# --- the calendar ------------------------------------------------------------------------------


def is_working_day(day: date) -> bool:
    company = _company_days()
    if day in company.closed:
        return False
    return day in company.working or is_official_working_day(day)


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    """`day` itself if it is a working day, otherwise the last working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def add_working_days(day: date, n: int) -> date:
    """n > 0: the n-th working day after `day`; n < 0: the n-th working day before it;
    n == 0: next_working_day(day). `day` itself need not be a working day."""
    sums = _company_days().sums
    found = sums.get((day, n))
    if found is None:
        if len(sums) > 100_000:  # a long-lived process: keep the memo bounded
            sums.clear()
        found = sums[(day, n)] = _add_working_days(day, n)
    return found


def _add_working_days(day: date, n: int) -> date:
    if n == 0:
        return next_working_day(day)
    step = timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        day += step
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start): how many
    working days something that started on `start` has waited by the end of `end`."""
    if end <= start:
        return 0
    return sum(1 for i in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=i)))


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def first_working_day_of_quarter(day: date) -> date:
    return next_working_day(quarter_start(day))


def first_working_day_of_month(day: date) -> date:
    return next_working_day(day.replace(day=1))


def previous_quarter(day: date) -> tuple[int, int]:
    """(year, quarter 1-4) of the quarter before the one `day` is in."""
    q = (day.month - 1) // 3 + 1
    return (day.year, q - 1) if q > 1 else (day.year - 1, 4)


def weekly_occasion(due: date, today: date) -> date:
    """For "overdue, remind weekly": the latest weekly anniversary of `due` on or before today.
    Used as the reminder key's date, so each week sends once and a missed week sends once."""
    return due + timedelta(days=7 * ((today - due).days // 7))
