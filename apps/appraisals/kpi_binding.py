"""Binding point to the KPI module (apps.kpis, built separately).

A criterion snapshot may name a KPI (`kpi_code`). When the KPI module provides
`apps.kpis.selectors.kpi_achievement(*, indicator, period, department=None, user=None)`,
the manager's score for that criterion is proposed from the achievement in the cycle's
period (achievement in percent, capped at 100); the manager may change it with a reason
(services.clean_scores enforces the reason). Without the KPI module nothing is proposed.
"""

from decimal import ROUND_HALF_UP, Decimal


def _kpi_api():
    try:
        from apps.kpis import selectors
        from apps.kpis.models import Indicator
    except ImportError:
        return None, None
    return getattr(selectors, "kpi_achievement", None), Indicator


def score_from_achievement(achievement) -> Decimal | None:
    """Achievement as a ratio (1.0 = target met) or a percent (100) -> score 0–100."""
    if achievement is None:
        return None
    value = Decimal(str(achievement))
    if value <= Decimal("2"):  # a ratio
        value *= 100
    return max(Decimal(0), min(Decimal(100), value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def proposed_scores(appraisal) -> dict[str, Decimal]:
    bound = [c for c in appraisal.form.criteria if c.get("kpi_code")]
    if not bound:
        return {}
    achievement, Indicator = _kpi_api()
    if achievement is None:
        return {}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[c["kpi_code"] for c in bound])}
    proposed = {}
    for c in bound:
        indicator = indicators.get(c["kpi_code"])
        if indicator is None:
            continue
        try:
            value = achievement(indicator=indicator, period=appraisal.cycle.code, user=appraisal.employee,
                                department=appraisal.department)
        except Exception:  # noqa: BLE001 — a KPI without data must not block the appraisal
            value = None
        score = score_from_achievement(getattr(value, "achievement", value) if value is not None else None)
        if score is not None:
            proposed[str(c["id"])] = score
    return proposed
