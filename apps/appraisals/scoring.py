"""Pure computation: weighted totals, grades from bands, forced-distribution checks.
No database access, so pages, services and tests share one definition."""

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .models import DEFAULT_GRADE_BANDS, Grade

TWO_PLACES = Decimal("0.01")
MAX_SCORE = Decimal("100")


def parse_score(value) -> Decimal | None:
    """A score 0–100 with at most two decimals, or None for blank / invalid."""
    if value is None or str(value).strip() == "":
        return None
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not score.is_finite() or score < 0 or score > MAX_SCORE:
        return None
    return score.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def weighted_total(criteria: list[dict], scores: dict) -> Decimal | None:
    """Σ score × weight / 100 over the criteria; None until every criterion has a score."""
    total = Decimal(0)
    for criterion in criteria:
        entry = scores.get(str(criterion["id"])) or {}
        score = parse_score(entry.get("score"))
        if score is None:
            return None
        total += score * Decimal(str(criterion["weight"]))
    return (total / 100).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def partial_total(criteria: list[dict], scores: dict) -> tuple[Decimal, int]:
    """What the scores entered so far contribute, and how many are still missing."""
    total, missing = Decimal(0), 0
    for criterion in criteria:
        score = parse_score((scores.get(str(criterion["id"])) or {}).get("score"))
        if score is None:
            missing += 1
        else:
            total += score * Decimal(str(criterion["weight"]))
    return (total / 100).quantize(TWO_PLACES, rounding=ROUND_HALF_UP), missing


def grade_for(total: Decimal | None, bands: list[dict] | None = None) -> str:
    """The first band (highest minimum first) whose minimum the total reaches."""
    if total is None:
        return ""
    for band in sorted(bands or DEFAULT_GRADE_BANDS, key=lambda b: Decimal(str(b["min"])), reverse=True):
        if total >= Decimal(str(band["min"])):
            return band["grade"]
    return Grade.FAIL


@dataclass
class DistributionRow:
    grade: str
    label: str
    count: int
    percent: float
    max_percent: float | None
    min_percent: float | None

    @property
    def over(self) -> bool:
        return self.max_percent is not None and self.percent > self.max_percent + 1e-9

    @property
    def under(self) -> bool:
        return self.min_percent is not None and self.percent < self.min_percent - 1e-9

    @property
    def breaks_rule(self) -> bool:
        return self.over or self.under


def distribution(grades: Counter | dict, rules: dict) -> list[DistributionRow]:
    """One row per grade: how many, what share, and the limits the cycle sets."""
    n = sum(grades.values())
    rows = []
    for grade in Grade:
        count = grades.get(grade.value, 0)
        rule = rules.get(grade.value) or {}
        rows.append(
            DistributionRow(
                grade=grade.value,
                label=str(grade.label),
                count=count,
                percent=round(100.0 * count / n, 1) if n else 0.0,
                max_percent=float(rule["max"]) if rule.get("max") not in (None, "") else None,
                min_percent=float(rule["min"]) if rule.get("min") not in (None, "") else None,
            )
        )
    return rows


def distribution_breaches(rows: list[DistributionRow]) -> list[DistributionRow]:
    if not sum(r.count for r in rows):
        return []
    return [r for r in rows if r.breaks_rule]
