"""Working days for reminder rules ("waiting longer than 3 working days", "first working day
of the quarter"). Monday to Friday; public holidays are not known to the portal (yet), so a
rule may fire a day early around a holiday, never late."""

from datetime import date, timedelta


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def add_working_days(day: date, n: int) -> date:
    """The working day n working days after `day` (n >= 0; n == 0: `day` itself or the next working day)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for i in range(1, rest + 1):
        if is_working_day(start + timedelta(days=weeks * 7 + i)):
            count += 1
    return count


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def first_working_day_of_quarter(day: date) -> date:
    return add_working_days(quarter_start(day), 0)


def previous_quarter(day: date) -> tuple[int, int]:
    """(year, quarter 1-4) of the quarter before the one `day` is in."""
    q = (day.month - 1) // 3 + 1
    return (day.year, q - 1) if q > 1 else (day.year - 1, 4)


def weekly_occasion(due: date, today: date) -> date:
    """For "overdue, remind weekly": the latest weekly anniversary of `due` on or before today.
    Used as the reminder key's date, so each week sends once and a missed week sends once."""
    return due + timedelta(days=7 * ((today - due).days // 7))
