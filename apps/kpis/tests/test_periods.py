from datetime import date
from decimal import Decimal as D

import pytest

from apps.kpis.models import YearRule
from apps.kpis.periods import Frequency, Period, reporting_month
from apps.kpis.services import split_year

M, Q, A = Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUAL


@pytest.mark.parametrize(
    "key, period",
    [
        ("2026-03", Period(2026, 3, M)),
        ("2026-3", Period(2026, 3, M)),
        ("2026-M12", Period(2026, 12, M)),
        ("2026-Q1", Period(2026, 1, Q)),
        ("2026-q4", Period(2026, 4, Q)),
        ("2026", Period(2026, 1, A)),
        ("2026Q3", Period(2026, 3, Q)),
        ("2026M07", Period(2026, 7, M)),
        ("2026/7", Period(2026, 7, M)),
    ],
)
def test_parse_period_keys(key, period):
    assert Period.parse(key) == period
    assert Period.parse(period.key) == period


@pytest.mark.parametrize("bad", ["", "2026-13", "2026-Q5", "March", "2026-00", "20263", "2026Q"])
def test_bad_period_keys_are_refused(bad):
    with pytest.raises(ValueError):
        Period.parse(bad)


def test_period_bounds_and_arithmetic():
    q1 = Period(2026, 1, Q)
    assert (q1.start, q1.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert q1.previous() == Period(2025, 4, Q)
    assert Period(2025, 12, M).next() == Period(2026, 1, M)
    assert Period(2026, 2, M).end == date(2026, 2, 28)
    assert q1.subperiods(M) == [Period(2026, m, M) for m in (1, 2, 3)]
    assert Period(2026, 1, A).subperiods(Q) == [Period(2026, i, Q) for i in range(1, 5)]


@pytest.mark.parametrize(
    "month, freq, expected",
    [
        (Period(2026, 3, M), Q, Period(2026, 1, Q)),
        (Period(2026, 2, M), Q, Period(2025, 4, Q)),
        (Period(2026, 12, M), A, Period(2026, 1, A)),
        (Period(2026, 11, M), A, Period(2025, 1, A)),
        (Period(2026, 11, M), M, Period(2026, 11, M)),
    ],
)
def test_last_period_ended_by_a_month(month, freq, expected):
    assert Period.last_ended_by(month, freq) == expected


def test_reporting_month_is_the_previous_month():
    assert reporting_month(date(2026, 1, 15)) == Period(2025, 12, M)


@pytest.mark.parametrize(
    "annual, n, rule, parts",
    [
        (D("1200"), 12, YearRule.SUM, [D("100")] * 12),
        (D("100"), 3, YearRule.SUM, [D("33.3333"), D("33.3333"), D("33.3334")]),
        (D("1000"), 4, YearRule.SUM, [D("250")] * 4),
        (D("95"), 4, YearRule.AVERAGE, [D("95")] * 4),
        (D("95"), 1, YearRule.SUM, [D("95")]),
    ],
)
def test_split_a_yearly_target_evenly(annual, n, rule, parts):
    result = split_year(annual, n, rule)
    assert result == parts
    if rule == YearRule.SUM:
        assert sum(result) == annual
