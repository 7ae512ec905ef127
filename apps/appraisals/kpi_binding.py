"""KPI binding: a criterion bound to an indicator (Criterion.indicator, snapshotted as
`indicator_id`) gets the reviewer's score proposed from the KPI's achievement in the
cycle's period, via the KPI module's `kpi_achievement(*, indicator, period, department,
user)`: the employee's own person-scope indicator in the cascade if they have one, else
their (snapshotted) department's. Achievement is a percent of target; the proposal is that
percent capped to 0–100. The reviewer may change it with a reason (services.clean_scores).
No figure for the period: nothing is proposed (a missing figure is never a zero).
"""

from decimal import ROUND_HALF_UP, Decimal

from apps.kpis.models import Indicator
from apps.kpis.selectors import kpi_achievement


def score_from_achievement(achievement) -> Decimal | None:
    if achievement is None:
        return None
    value = Decimal(str(achievement))
    return max(Decimal(0), min(Decimal(100), value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def proposed_scores(appraisal) -> dict[str, Decimal]:
    bound = [c for c in appraisal.form.criteria if c.get("indicator_id")]
    if not bound:
        return {}
    indicators = Indicator.objects.in_bulk([c["indicator_id"] for c in bound])
    proposed = {}
    for c in bound:
        indicator = indicators.get(c["indicator_id"])
        if indicator is None:
            continue
        result = kpi_achievement(
            indicator=indicator, period=appraisal.cycle.code, user=appraisal.employee, department=appraisal.department
        )
        score = score_from_achievement(result.achievement if result is not None else None)
        if score is not None:
            proposed[str(c["id"])] = score
    return proposed
