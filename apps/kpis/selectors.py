"""Reads: indicators with their figures, targets and status, in a fixed number of queries
however many indicators and periods there are (the pages' query counts stay flat)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.permissions import is_admin, is_hr, is_ops
from apps.departments.permissions import headed_paths
from apps.scheduling.calendar import add_working_days

from .achievement import STATUS_COLOUR, STATUS_RANK, Status
from .cascade import KpiAchievement, Node, cascade_tree, cascade_trees, flatten, kpi_achievement  # noqa: F401
from .figures import LIST_FIELDS, Figure, _target_rows, _with_relations, evaluate_figure  # noqa: F401
from .models import Indicator, Measurement, PeriodLock, Scope, Target
from .periods import Frequency, Period, periods_between, reporting_month


# --- visibility --------------------------------------------------------------------
def visible_indicators(user) -> QuerySet[Indicator]:
    """Indicators `user` may see (see permissions.py); person-scope ones only to the few."""
    qs = Indicator.objects.filter(is_active=True)
    if is_ops(user) or is_admin(user) or is_hr(user):
        return qs
    q = ~Q(scope=Scope.PERSON) | Q(person=user) | Q(person__manager=user) | Q(responsible=user)
    for path in headed_paths(user):
        q |= Q(department__path__startswith=path)
    return qs.filter(q)


def periods_as_of(month: Period) -> dict[str, Period]:
    """For each frequency, the latest period that has ended by the end of `month`."""
    return {f: Period.last_ended_by(month, f) for f in Frequency.values}


def _period_filter(periods: dict[str, Period]) -> Q:
    q = Q()
    for freq, p in periods.items():
        q |= Q(indicator__frequency=freq, year=p.year, index=p.index)
    return q


def snapshot(indicators: QuerySet[Indicator], month: Period) -> list[Figure]:
    """Every indicator's figure for its period as of `month`. Three queries."""
    periods = periods_as_of(month)
    inds = list(_with_relations(indicators))
    ids = indicators.values("pk")
    pq = _period_filter(periods)
    values = dict(Measurement.objects.filter(pq, indicator__in=ids).values_list("indicator_id", "value"))
    targets = {row[0]: row[3:] for row in _target_rows(Target.objects.filter(pq, indicator__in=ids))}
    return [evaluate_figure(ind, periods[ind.frequency], values.get(ind.pk), targets.get(ind.pk)) for ind in inds]


def overview(*, user, month: Period, department=None, status: str = "") -> dict:
    """The company screen: every visible indicator's status as of `month`, worst first,
    counted by status and by department."""
    qs = visible_indicators(user)
    if department is not None:
        qs = qs.filter(department__path__startswith=department.path)
    figures = sorted(snapshot(qs, month), key=lambda f: f.sort_key)
    statuses = list(Status.values)
    counts = dict.fromkeys(statuses, 0)
    by_dept: dict[int, dict] = {}
    for f in figures:
        counts[f.status] += 1
        d = by_dept.get(f.indicator.department_id)
        if d is None:
            d = by_dept[f.indicator.department_id] = {
                "department": f.indicator.department,
                "counts": dict.fromkeys(statuses, 0),
                "total": 0,
            }
        d["counts"][f.status] += 1
        d["total"] += 1
    departments = sorted(
        by_dept.values(),
        key=lambda d: (
            -d["counts"][Status.RED],
            -d["counts"][Status.MISSING],
            -d["counts"][Status.AMBER],
            d["department"].name,
        ),
    )
    labels = dict(Status.choices)
    for d in departments:  # the stacked bar, computed here: templates are slow at 200 x 5
        d["segments"] = [
            {
                "status": st,
                "label": labels[st],
                "n": n,
                "pct": f"{100 * n / d['total']:.2f}",
                "colour": STATUS_COLOUR[st],
            }
            for st, n in d["counts"].items()
            if n
        ]
        d["summary"] = ", ".join(f"{seg['label']} {seg['n']}" for seg in d["segments"])
    if status:
        figures = [f for f in figures if f.status == status]
    return {
        "figures": figures,
        "counts": counts,
        "departments": departments,
        "total": sum(counts.values()),
        "periods": periods_as_of(month),
    }


# --- series ------------------------------------------------------------------------
SERIES_LENGTH = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 8, Frequency.ANNUAL: 5}


def department_indicators(*, user, department) -> QuerySet[Indicator]:
    return visible_indicators(user).filter(department=department)


def department_cards(*, user, department, month: Period) -> list[dict]:
    """Cards for a department page: the current figure and a short history (sparkline).
    Three queries whatever the number of indicators and periods."""
    inds = list(_with_relations(department_indicators(user=user, department=department)))
    if not inds:
        return []
    current = periods_as_of(month)
    first_year = min(current[f].shift(-SERIES_LENGTH[f] + 1).year for f in Frequency.values)
    ids = [i.pk for i in inds]
    values = {
        (i, y, x): v
        for i, y, x, v in Measurement.objects.filter(indicator__in=ids, year__gte=first_year).values_list(
            "indicator_id", "year", "index", "value"
        )
    }
    targets = {row[:3]: row[3:] for row in _target_rows(Target.objects.filter(indicator__in=ids, year__gte=first_year))}
    cards = []
    for ind in inds:
        last = current[ind.frequency]
        series = [
            evaluate_figure(ind, p, values.get((ind.pk, p.year, p.index)), targets.get((ind.pk, p.year, p.index)))
            for p in periods_between(last.shift(-SERIES_LENGTH[ind.frequency] + 1), last)
        ]
        cards.append(
            {
                "indicator": ind,
                "figure": series[-1],
                "series": series,
                "sparkline": sparkline([f.actual for f in series], [f.target for f in series]),
            }
        )
    cards.sort(key=lambda c: c["figure"].sort_key)
    return cards


def indicator_history(indicator: Indicator, *, last: Period | None = None, length: int = 24) -> list[Figure]:
    """The indicator's figures from when it was tracked (at most `length` periods) up to `last`."""
    last = last or Period.last_ended_by(reporting_month(timezone.localdate()), indicator.frequency)
    first = max(last.shift(-length + 1), Period.containing(indicator.active_from, indicator.frequency))
    values = {
        (m.year, m.index): m
        for m in indicator.measurements.filter(year__gte=first.year, year__lte=last.year).select_related("updated_by")
    }
    targets = {(t.year, t.index): t for t in indicator.targets.filter(year__gte=first.year, year__lte=last.year)}
    out = []
    for p in periods_between(first, last) if first <= last else []:
        m = values.get((p.year, p.index))
        out.append(evaluate_figure(indicator, p, m.value if m else None, targets.get((p.year, p.index)), m))
    return out


def sparkline(actuals: list, targets: list, width: int = 120, height: int = 32) -> dict:
    """Inline-SVG geometry: polyline segments for the actuals (broken where a figure is
    missing: a gap, never a drop to zero) and one for the target."""
    known = [Decimal(v) for v in actuals + targets if v is not None]
    if not known:
        return {"segments": [], "target": "", "width": width, "height": height, "last": None}
    lo, hi = min(known), max(known)
    span = (hi - lo) or Decimal(1)
    n = max(len(actuals) - 1, 1)

    def point(i, v):
        x = round(2 + (width - 4) * i / n, 1)
        y = round(height - 3 - float((Decimal(v) - lo) / span) * (height - 6), 1)
        return x, y

    segments, current = [], []
    for i, v in enumerate(actuals):
        if v is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(point(i, v))
    if current:
        segments.append(current)
    target_pts = [point(i, v) for i, v in enumerate(targets) if v is not None]
    fmt = lambda pts: " ".join(f"{x},{y}" for x, y in pts)  # noqa: E731
    last = point(len(actuals) - 1, actuals[-1]) if actuals and actuals[-1] is not None else None
    return {
        "segments": [fmt(s) for s in segments],
        "dots": [s[0] for s in segments if len(s) == 1],
        "target": fmt(target_pts),
        "width": width,
        "height": height,
        "last": last,
    }


# --- reminders ---------------------------------------------------------------------
@dataclass(frozen=True)
class MissingFigure:
    indicator: Indicator
    period: Period
    due: date  # the day after which the figure is chased (period end + N days)

    @property
    def recipient_id(self) -> int | None:
        """Who is asked: the responsible person, else the owning department's head."""
        return self.indicator.responsible_id or self.indicator.department.head_id


def figures_missing(*, today: date | None = None, lookback_years: int = 2) -> list[MissingFigure]:
    """State-based: every active indicator's periods that ended more than the indicator's
    `reminder_days` (default 5) working days ago, since it was tracked (at most `lookback_years` back),
    and still have no figure. Read-only, so calling it twice gives the same answer; the
    reminder job (services.figures_missing_remind) records what it already sent."""
    today = today or timezone.localdate()
    inds = list(_with_relations(Indicator.objects.filter(is_active=True)))
    since = date(today.year - lookback_years, 1, 1)
    have = set(
        Measurement.objects.filter(value__isnull=False, year__gte=since.year).values_list(
            "indicator_id", "year", "index"
        )
    )
    out = []
    for ind in inds:
        start = Period.containing(max(ind.active_from, since), ind.frequency)
        p = start
        while (due := figure_due(p, ind.reminder_days)) < today:
            if (ind.pk, p.year, p.index) not in have:
                out.append(MissingFigure(ind, p, due))
            p = p.next()
    return out


def figure_due(period: Period, reminder_days: int) -> date:
    """A period's figure is due `reminder_days` working days after the period ended."""
    return add_working_days(period.end, reminder_days)


def locks(periods: list[Period]) -> set[tuple[str, int, int]]:
    q = Q(pk__in=[])
    for p in periods:
        q |= Q(frequency=p.frequency, year=p.year, index=p.index)
    return set(PeriodLock.objects.filter(q).values_list("frequency", "year", "index"))


def entry_url(indicator: Indicator, period: Period) -> str:
    """Where a figure of `indicator` for `period` is entered: its department's entry page of the
    month the period ends in (a reminder links there)."""
    from django.urls import reverse

    from .periods import entry_month

    return reverse("kpis:enter", args=[indicator.department.code, entry_month(period).key])


def entry_rows(*, user, department, month: Period) -> list[dict]:
    """The department's indicators due in `month` (monthly ones for that month, quarterly
    ones when it ends a quarter, annual ones in December), with figure, target and lock."""
    due = {f: Period.containing(month.start, f) for f in Frequency.values}
    due = {f: p for f, p in due.items() if p.end == month.end}
    inds = list(_with_relations(visible_indicators(user).filter(department=department, frequency__in=list(due))))
    ids = [i.pk for i in inds]
    pq = _period_filter(due)
    values = {m.indicator_id: m for m in Measurement.objects.filter(pq, indicator__in=ids)}
    targets = {t.indicator_id: t for t in Target.objects.filter(pq, indicator__in=ids)}
    locked = locks(list(due.values()))
    rows = []
    for ind in inds:
        p = due[ind.frequency]
        m = values.get(ind.pk)
        rows.append(
            {
                "indicator": ind,
                "period": p,
                "measurement": m,
                "figure": evaluate_figure(ind, p, m.value if m else None, targets.get(ind.pk), m),
                "locked": (p.frequency, p.year, p.index) in locked,
            }
        )
    return rows


__all__ = [
    "kpi_achievement",
    "KpiAchievement",
    "figures_missing",
    "MissingFigure",
    "overview",
    "department_cards",
    "indicator_history",
    "cascade_tree",
    "snapshot",
    "entry_rows",
    "entry_url",
    "visible_indicators",
    "STATUS_RANK",
]
