"""A figure (indicator x period) and how list pages load indicators: shared by the
selectors and the cascade."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from .achievement import Evaluation, Status, evaluate
from .models import Indicator, Measurement, Target
from .periods import Period

_LAST = Decimal("1e9")


@dataclass
class Figure:
    """One indicator in one period: actual, target and what they mean."""

    indicator: Indicator
    period: Period
    actual: Decimal | None
    target: Decimal | None
    evaluation: Evaluation
    measurement: Measurement | None = None
    rolled_up: bool = False
    BADGES = {"status": Status}  # not a field: no annotation

    @property
    def status(self) -> str:
        return self.evaluation.status

    @property
    def achievement(self) -> Decimal | None:
        return self.evaluation.achievement

    @property
    def sort_key(self):
        ach = self.achievement if self.achievement is not None else _LAST
        return (self.evaluation.rank, ach, self.indicator.code)


def evaluate_figure(
    indicator: Indicator,
    period: Period,
    actual,
    target: Target | tuple | Decimal | None,
    measurement=None,
    rolled_up=False,
) -> Figure:
    """`target` is a Target, a (value, green %, amber %) row, a bare value or None; a
    target's own thresholds win over the indicator's."""
    green, amber = indicator.green_pct, indicator.amber_pct
    target_value = target
    if isinstance(target, Target):
        target = (target.value, target.green_pct, target.amber_pct)
    if isinstance(target, tuple):
        target_value = target[0]
        green = target[1] if target[1] is not None else green
        amber = target[2] if target[2] is not None else amber
    ev = evaluate(
        direction=indicator.direction,
        actual=actual,
        target=target_value,
        low=indicator.range_low,
        high=indicator.range_high,
        green=green,
        amber=amber,
    )
    return Figure(indicator, period, actual, target_value, ev, measurement, rolled_up)


LIST_FIELDS = (
    "code",
    "name",
    "unit",
    "direction",
    "range_low",
    "range_high",
    "frequency",
    "year_rule",
    "scope",
    "department_id",
    "person_id",
    "responsible_id",
    "parent_id",
    "rollup",
    "weight",
    "green_pct",
    "amber_pct",
    "valid_min",
    "valid_max",
    "sort_order",
    "is_active",
    "active_from",
    "reminder_days",
    "department__name",
    "department__code",
    "department__path",
    "department__head_id",
    "person__username",
    "person__display_name",
    "person__first_name",
    "person__last_name",
    "person__manager_id",
)


def _with_relations(qs: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """What list pages show of an indicator, and no more (1,000 wide rows cost more to
    build than to fetch)."""
    return qs.select_related("department", "person").only(*LIST_FIELDS)


def _target_rows(qs) -> QuerySet:
    return qs.values_list("indicator_id", "year", "index", "value", "green_pct", "amber_pct")


# --- snapshots ---------------------------------------------------------------------
