"""The ONE place that turns an actual figure and its target into an achievement % and a
status. Pure functions, no database: every page, export and the appraisal selector call
`evaluate`.

Rules (all percentages are of the target):

* higher is better:  achievement = 100 + (actual - target) / |target| x 100
  (= actual / target x 100 for a positive target; the |target| form keeps a negative
  target such as a planned loss meaningful).
* lower is better:   achievement = 100 - (actual - target) / |target| x 100
  (33 days against a target of 30 -> 90 %). The thresholds are therefore "inverted" in
  terms of the actual value: green while actual <= target, amber while actual <= 110 % of
  the target with the default 90 % amber threshold, red beyond.
* within a range:    inside [low, high] -> 100 %, green. Outside, the distance to the
  nearest bound is taken as a share of that bound (or of the band width when the bound is
  0): 63 against 40-60 -> 95 %. Either bound may be open.
* achievement is never below 0 % (a far miss reads 0 %, not -250 %).
* status (graded on the achievement rounded to 0.1, as shown): achievement >= green threshold
  -> green; >= amber threshold -> amber; else red.
* zero target: a percentage of zero is undefined, so achievement is None ("n/a") and the
  status compares the actual with the target directly: met (>= 0 for higher, <= 0 for
  lower) -> green, otherwise red. There is no amber band around zero.
* missing actual -> status MISSING and achievement None: a missing figure is never
  treated as zero. No target (or no range bounds) -> status NO_TARGET.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.badges import badge_tones

DEFAULT_GREEN = Decimal("100")
DEFAULT_AMBER = Decimal("90")
HUNDRED = Decimal("100")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
    RANGE = "range", _("Within a range")


class Status(models.TextChoices):
    GREEN = "green", _("On target")
    AMBER = "amber", _("At risk")
    RED = "red", _("Off target")
    MISSING = "missing", _("Figure missing")
    NO_TARGET = "no_target", _("No target")


# worst first: what ops must look at first sorts first
STATUS_RANK = {Status.RED: 0, Status.MISSING: 1, Status.AMBER: 2, Status.NO_TARGET: 3, Status.GREEN: 4}
STATUS_TONE = badge_tones(
    Status,
    {
        Status.RED: "danger",
        Status.AMBER: "warning",
        Status.GREEN: "success",
        Status.MISSING: "secondary",
        Status.NO_TARGET: "light",
    },
)
STATUS_COLOUR = {
    Status.RED: "#dc3545",
    Status.AMBER: "#f0ad4e",
    Status.GREEN: "#198754",
    Status.MISSING: "#adb5bd",
    Status.NO_TARGET: "#ced4da",
}


@dataclass(frozen=True)
class Evaluation:
    status: str
    achievement: Decimal | None = None  # percent, 1 decimal; None when undefined

    @property
    def tone(self) -> str:
        return STATUS_TONE[self.status]

    @property
    def label(self) -> str:
        return Status(self.status).label

    @property
    def rank(self) -> int:
        return STATUS_RANK[self.status]


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _round(value: Decimal) -> Decimal:
    return max(value, Decimal(0)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _grade(achievement: Decimal, green: Decimal, amber: Decimal) -> str:
    if achievement >= green:
        return Status.GREEN
    if achievement >= amber:
        return Status.AMBER
    return Status.RED


def evaluate(*, direction: str, actual, target=None, low=None, high=None, green=None, amber=None) -> Evaluation:
    """Achievement % and status of one figure. See the module docstring for the rules."""
    actual, target, low, high = _dec(actual), _dec(target), _dec(low), _dec(high)
    green = _dec(green) if green is not None else DEFAULT_GREEN
    amber = _dec(amber) if amber is not None else DEFAULT_AMBER
    if actual is None:
        return Evaluation(Status.MISSING)
    if direction == Direction.RANGE:
        return _evaluate_range(actual, low, high, green, amber)
    if target is None:
        return Evaluation(Status.NO_TARGET)
    sign = 1 if direction == Direction.HIGHER else -1
    if target == 0:
        met = actual >= 0 if sign == 1 else actual <= 0
        return Evaluation(Status.GREEN if met else Status.RED)
    achievement = _round(HUNDRED + sign * (actual - target) / abs(target) * HUNDRED)
    return Evaluation(_grade(achievement, green, amber), achievement)


def _evaluate_range(actual, low, high, green, amber) -> Evaluation:
    if low is None and high is None:
        return Evaluation(Status.NO_TARGET)
    if (low is None or actual >= low) and (high is None or actual <= high):
        return Evaluation(Status.GREEN, HUNDRED.quantize(Decimal("0.1")))
    bound = low if low is not None and actual < low else high
    reference = abs(bound) if bound != 0 else (abs(high - low) if low is not None and high is not None else 0)
    if reference == 0:
        return Evaluation(Status.RED)
    achievement = _round(HUNDRED - abs(actual - bound) / reference * HUNDRED)
    return Evaluation(_grade(achievement, green, amber), achievement)


def roll_up(rule: str, values: list, weights: list | None = None) -> Decimal | None:
    """A parent's value from its children's: sum, average or weighted average.
    Any missing child value makes the roll-up missing (a gap is never a zero)."""
    values = [_dec(v) for v in values]
    if not values or any(v is None for v in values):
        return None
    if rule == "sum":
        return sum(values, Decimal(0))
    if rule == "average":
        return sum(values, Decimal(0)) / len(values)
    weights = [_dec(w) or Decimal(0) for w in (weights or [])]
    total = sum(weights, Decimal(0))
    if len(weights) != len(values) or total == 0:
        return None
    return sum((v * w for v, w in zip(values, weights, strict=False)), Decimal(0)) / total
