"""Reads of the risk register, each with the joins it needs."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from apps.departments.permissions import headed_paths, is_general_manager

from .models import Axis, Breach, Category, LevelBand, Measure, Risk, ScaleLevel
from .scoring import DEFAULT_BANDS, Level


def visible_risks(user) -> QuerySet[Risk]:
    """Every risk `user` may know exists (see permissions.py for the rule)."""
    from apps.accounts.permissions import is_admin, is_ops

    qs = Risk.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if is_ops(user) or is_general_manager(user):
        return qs
    mine = Q(owner=user) | Q(reported_by=user) | Q(Exists(Measure.objects.filter(risk=OuterRef("pk"), owner=user)))
    for path in headed_paths(user):
        mine |= Q(department__path__startswith=path)
    if is_admin(user):
        return qs.filter(mine | Q(confidential=False))
    public = Q(company_wide=True)
    if user.department_id:
        public |= Q(department_id=user.department_id)
    return qs.filter(mine | (Q(confidential=False) & public))


def risk_for(user, code: str) -> Risk | None:
    return (
        visible_risks(user)
        .select_related("category", "department", "owner", "reported_by", "acceptance_decided_by")
        .filter(code=code)
        .first()
    )


def register(user, *, filters: dict) -> QuerySet[Risk]:
    """The register as `user` sees it, filtered (category, level, department subtree, status,
    owner, warning, heat-map cell, text)."""
    qs = visible_risks(user).select_related("category", "department", "owner")
    if filters.get("category"):
        qs = qs.filter(category__code=filters["category"])
    if filters.get("level"):
        qs = qs.filter(Q(residual_level=filters["level"]) | Q(residual_level="", inherent_level=filters["level"]))
    if filters.get("department"):
        qs = qs.filter(department__path__startswith=filters["department"].path)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    else:
        qs = qs.exclude(status=Risk.Status.CLOSED)
    if filters.get("owner"):
        qs = qs.filter(owner=filters["owner"])
    if filters.get("warning"):
        qs = qs.filter(in_warning=True)
    if filters.get("cell"):
        kind, likelihood, impact = filters["cell"]
        if kind == "residual":
            qs = qs.filter(residual_likelihood=likelihood, residual_impact=impact)
        else:
            qs = qs.filter(likelihood=likelihood, impact=impact)
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q))
    return qs.order_by("-residual_score", "-inherent_score", "code")


def bands() -> dict[str, int]:
    stored = dict(LevelBand.objects.values_list("level", "min_score"))
    return {level: stored.get(level, DEFAULT_BANDS[level]) for level in Level.values}


def scale() -> dict[str, list[ScaleLevel]]:
    levels = {Axis.LIKELIHOOD: [], Axis.IMPACT: []}
    for level in ScaleLevel.objects.all():
        levels[level.axis].append(level)
    return levels


def scale_size() -> tuple[int, int]:
    levels = scale()
    return (
        max((lv.value for lv in levels[Axis.LIKELIHOOD]), default=5),
        max((lv.value for lv in levels[Axis.IMPACT]), default=5),
    )


@dataclass
class Cell:
    likelihood: int
    impact: int
    count: int
    level: str


def heat_map(risks: QuerySet[Risk], *, residual: bool, size: tuple[int, int], band_table: dict) -> list[list[Cell]]:
    """Rows from the highest likelihood down, columns by impact; one GROUP BY query."""
    from .scoring import level_for, score

    li, im = ("residual_likelihood", "residual_impact") if residual else ("likelihood", "impact")
    counts = Counter(
        {
            (r[li], r[im]): r["n"]
            for r in risks.filter(**{f"{li}__isnull": False}).order_by().values(li, im).annotate(n=Count("pk"))
        }
    )
    rows = []
    for likelihood in range(size[0], 0, -1):
        rows.append(
            [
                Cell(likelihood, impact, counts[(likelihood, impact)], level_for(score(likelihood, impact), band_table))
                for impact in range(1, size[1] + 1)
            ]
        )
    return rows


def level_counts(risks: QuerySet[Risk]) -> dict[str, int]:
    rows = risks.order_by().values("residual_level", "inherent_level").annotate(n=Count("pk"))
    counts = Counter()
    for r in rows:
        counts[r["residual_level"] or r["inherent_level"] or ""] += r["n"]
    return counts


def categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True)


def open_measures_for(user) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(owner=user, status__in=Measure.OPEN_STATUSES)
        .select_related("risk")
        .order_by("due_date", "pk")
    )


def open_breaches(risk: Risk) -> QuerySet[Breach]:
    return Breach.objects.filter(kri__risk=risk, ended_at__isnull=True).select_related("kri__indicator")
