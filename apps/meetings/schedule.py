"""When a series meets: the planned dates of a series and the working day each meeting moves
to when its planned date is a weekend or a public holiday (apps/scheduling/calendar.py)."""

import calendar as std_calendar
from datetime import date, timedelta

from apps.scheduling.calendar import add_working_days, is_working_day

from .models import Frequency, Series


def working_day_on_or_after(day: date) -> date:
    return day if is_working_day(day) else add_working_days(day, 0)


def planned_dates(series: Series, start: date, end: date) -> list[date]:
    """The series' own dates in [start, end] (before any move to a working day)."""
    start = max(start, series.starts_on)
    if series.ends_on:
        end = min(end, series.ends_on)
    out: list[date] = []
    if start > end:
        return out
    if series.frequency == Frequency.WEEKLY:
        day = start + timedelta(days=(series.weekday - start.weekday()) % 7)
        while day <= end:
            out.append(day)
            day += timedelta(days=7)
        return out
    year, month = start.year, start.month
    while True:
        last = std_calendar.monthrange(year, month)[1]
        day = date(year, month, min(series.day_of_month, last))
        if day > end:
            return out
        if day >= start:
            out.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def occurrences(series: Series, start: date, end: date) -> list[tuple[date, date]]:
    """(planned date, meeting date) pairs for the planned dates in [start, end]: the meeting
    date is the planned date or, when that is not a working day, the next working day. When a
    long holiday moves one meeting onto the day the next one is held, the moved one is
    dropped: a series never meets twice on one day."""
    lookahead = end + timedelta(days=40)  # the next occurrence after `end` decides a collision
    pairs = [(d, working_day_on_or_after(d)) for d in planned_dates(series, start, lookahead)]
    kept = [p for p, following in zip(pairs, pairs[1:] + [None], strict=True) if not following or following[1] != p[1]]
    return [(planned, day) for planned, day in kept if planned <= end]
