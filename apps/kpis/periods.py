"""Reporting periods as a small value object.

A period is stored on rows as (frequency, year, index): monthly index 1-12, quarterly 1-4,
annual 1. Its text key is what URLs and import files use: "2026-03", "2026-Q1", "2026".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annual")


PERIODS_PER_YEAR = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4, Frequency.ANNUAL: 1}
MONTHS_PER_PERIOD = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}
_KEY = re.compile(r"^\s*(\d{4})(?:(?:\s*[-/.]\s*|(?=[QqMm]))(?:(?:[Qq](\d))|(?:[Mm]?(\d{1,2}))))?\s*$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    index: int
    frequency: str = Frequency.MONTHLY

    def __post_init__(self):
        if self.frequency not in PERIODS_PER_YEAR:
            raise ValueError(f"unknown frequency {self.frequency!r}")
        if not 1 <= self.index <= PERIODS_PER_YEAR[self.frequency]:
            raise ValueError(f"period index {self.index} out of range for {self.frequency}")

    # --- construction -------------------------------------------------------------
    @classmethod
    def parse(cls, key: str) -> Period:
        """ "2026-03" / "2026-3" / "2026-M03" / "2026M03" (monthly), "2026-Q1" / "2026Q1" (quarterly,
        the appraisal cycle's spelling), "2026" (annual)."""
        match = _KEY.match(str(key or ""))
        if not match:
            raise ValueError(f"not a period: {key!r}")
        year, quarter, month = match.groups()
        if quarter:
            return cls(int(year), int(quarter), Frequency.QUARTERLY)
        if month:
            return cls(int(year), int(month), Frequency.MONTHLY)
        return cls(int(year), 1, Frequency.ANNUAL)

    @classmethod
    def containing(cls, day: date, frequency: str) -> Period:
        months = MONTHS_PER_PERIOD[frequency]
        return cls(day.year, (day.month - 1) // months + 1, frequency)

    @classmethod
    def last_ended_by(cls, month: Period, frequency: str) -> Period:
        """The latest period of `frequency` that has ended by the end of `month`."""
        here = cls.containing(month.end, frequency)
        return here if here.end <= month.end else here.previous()

    # --- properties ---------------------------------------------------------------
    @property
    def key(self) -> str:
        if self.frequency == Frequency.MONTHLY:
            return f"{self.year}-{self.index:02d}"
        if self.frequency == Frequency.QUARTERLY:
            return f"{self.year}-Q{self.index}"
        return f"{self.year}"

    @property
    def label(self) -> str:
        if self.frequency == Frequency.MONTHLY:
            return _("%(year)d-%(month)02d") % {"year": self.year, "month": self.index}
        if self.frequency == Frequency.QUARTERLY:
            return _("%(year)d Q%(q)d") % {"year": self.year, "q": self.index}
        return _("%(year)d (year)") % {"year": self.year}

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * MONTHS_PER_PERIOD[self.frequency] + 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def months(self) -> list[Period]:
        first = (self.index - 1) * MONTHS_PER_PERIOD[self.frequency] + 1
        return [
            Period(self.year, m, Frequency.MONTHLY) for m in range(first, first + MONTHS_PER_PERIOD[self.frequency])
        ]

    def __str__(self) -> str:
        return self.key

    # --- arithmetic ---------------------------------------------------------------
    def shift(self, n: int) -> Period:
        per_year = PERIODS_PER_YEAR[self.frequency]
        flat = self.year * per_year + (self.index - 1) + n
        return Period(flat // per_year, flat % per_year + 1, self.frequency)

    def next(self) -> Period:
        return self.shift(1)

    def previous(self) -> Period:
        return self.shift(-1)

    def subperiods(self, frequency: str) -> list[Period]:
        """The periods of a finer (or equal) frequency that make up this one."""
        if MONTHS_PER_PERIOD[frequency] > MONTHS_PER_PERIOD[self.frequency]:
            raise ValueError("sub-periods must be finer than the period")
        step = MONTHS_PER_PERIOD[frequency]
        return [Period.containing(m.start, frequency) for m in self.months[::step]]

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end


def year_periods(year: int, frequency: str) -> list[Period]:
    return [Period(year, i, frequency) for i in range(1, PERIODS_PER_YEAR[frequency] + 1)]


def periods_between(first: Period, last: Period) -> list[Period]:
    out, p = [], first
    while p <= last:
        out.append(p)
        p = p.next()
    return out


def not_begun(period: Period, today: date) -> bool:
    """A period that has not begun yet takes no figures (a typo in the year, a wrong month)."""
    return period.start > today


def not_begun_message(period: Period) -> str:
    from django.utils.translation import gettext as _

    return _("%(p)s has not begun yet: figures can be entered once the period has started.") % {"p": period.label}


def entry_month(period: Period) -> Period:
    """The month whose entry page carries this period's figure (the month it ends in)."""
    return Period.containing(period.end, Frequency.MONTHLY)


def reporting_month(today: date) -> Period:
    """The month figures are being reported for: the one before `today`'s."""
    return Period.containing(today, Frequency.MONTHLY).previous()
