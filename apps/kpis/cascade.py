"""The cascade (目标拆解): an indicator with the levels below it, rolled up, and the
selector the appraisal module asks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from .achievement import roll_up
from .figures import Figure, _target_rows, _with_relations, evaluate_figure
from .models import Indicator, Measurement, Scope, Target, YearRule
from .periods import MONTHS_PER_PERIOD, Period


@dataclass
class Node:
    figure: Figure
    children: list[Node] = field(default_factory=list)
    depth: int = 0


def _descendants(indicator: Indicator) -> tuple[dict[int, Indicator], dict[int, list[Indicator]]]:
    nodes = {indicator.pk: indicator}
    children: dict[int, list[Indicator]] = defaultdict(list)
    frontier = [indicator.pk]
    while frontier:  # one query per level (three at most in practice)
        level = [
            i
            for i in _with_relations(
                Indicator.objects.filter(parent_id__in=frontier, is_active=True).order_by("sort_order", "code")
            )
            if i.pk not in nodes
        ]
        for ind in level:
            nodes[ind.pk] = ind
            children[ind.parent_id].append(ind)
        frontier = [i.pk for i in level]
    return nodes, children


def cascade_tree(indicator: Indicator, period: Period) -> Node:
    """The indicator with every level below it (company -> department -> person) and each
    level's achievement. A level without its own figure rolls its children up by its rule
    (sum / average / weighted); a missing child makes the roll-up missing."""
    return cascade_trees(indicator, [period])[0]


def cascade_trees(indicator: Indicator, periods: list[Period]) -> list[Node]:
    """cascade_tree for several periods: the tree is loaded once, the figures of all the
    periods in one query each."""
    nodes, children = _descendants(indicator)
    ids = list(nodes)
    pq = Q(pk__in=[])
    for p in periods:
        pq |= Q(year=p.year, index=p.index)
    values = {
        (i, y, x): (pk, v)
        for pk, i, y, x, v in Measurement.objects.filter(pq, indicator__in=ids).values_list(
            "pk", "indicator_id", "year", "index", "value"
        )
    }
    targets = {row[:3]: row[3:] for row in _target_rows(Target.objects.filter(pq, indicator__in=ids))}

    def build(ind: Indicator, period: Period, depth: int) -> Node:
        kids = [build(c, period, depth + 1) for c in children.get(ind.pk, [])]
        key = (ind.pk, period.year, period.index)
        actual, rolled = (values[key][1] if key in values else None), False
        target = targets.get(key)
        if kids and actual is None:
            weights = [k.figure.indicator.weight for k in kids]
            actual = roll_up(ind.rollup, [k.figure.actual for k in kids], weights)
            rolled = actual is not None
        if kids and target is None:
            target = roll_up(ind.rollup, [k.figure.target for k in kids], [k.figure.indicator.weight for k in kids])
        return Node(evaluate_figure(ind, period, actual, target, rolled_up=rolled), kids, depth)

    return [build(indicator, p, 0) for p in periods]


def flatten(node: Node) -> list[Node]:
    out = [node]
    for child in node.children:
        out.extend(flatten(child))
    return out


@dataclass(frozen=True)
class KpiAchievement:
    indicator: Indicator
    period: Period
    actual: Decimal
    target: Decimal | None
    achievement: Decimal | None
    status: str


def kpi_achievement(*, indicator: Indicator, period, department=None, user=None) -> KpiAchievement | None:
    """This KPI's achievement for a department (or a person) in a period.

    indicator   an Indicator, usually the company- or department-level one.
    period      a Period or its key ("2026-Q1" or "2026Q1", "2026-03", "2026").
    department  answer for this department's indicator in the cascade below `indicator`
                (the indicator itself if it belongs to that department).
    user        answer for this person's own (person-scope) indicator in the cascade; if
                they have none, for `department`'s (or else the person's own department's).
    Neither     answer for `indicator` itself.

    When `period` is longer than the indicator's frequency (a quarter for a monthly KPI),
    its periods are combined by the indicator's year rule (sum for flows, average for
    levels), actual and target alike; when it is shorter, the indicator's period that
    contains it is used. A level without its own figure is rolled up from the level below.

    Returns KpiAchievement(indicator, period, actual, target, achievement %, status) with
    achievement/status from achievement.evaluate (achievement None for a zero target), or
    None when there is no such indicator or any needed figure is missing: a missing
    figure is never reported as zero.
    """
    if not isinstance(period, Period):
        period = Period.parse(period)
    node = _find_node(indicator, department=department, user=user)
    if node is None:
        return None
    if MONTHS_PER_PERIOD[period.frequency] < MONTHS_PER_PERIOD[node.frequency]:
        period = Period.containing(period.start, node.frequency)
    parts = period.subperiods(node.frequency) if period.frequency != node.frequency else [period]
    figures = [t.figure for t in cascade_trees(node, parts)]
    if len(figures) == 1:
        fig = figures[0]
    else:
        rule = "sum" if node.year_rule == YearRule.SUM else "average"
        actual = roll_up(rule, [f.actual for f in figures])
        target = roll_up(rule, [f.target for f in figures])
        # the year's own thresholds, if its targets carry them
        green, amber = Target.objects.filter(indicator=node, year=period.year).values_list(
            "green_pct", "amber_pct"
        ).first() or (None, None)
        fig = evaluate_figure(node, period, actual, (target, green, amber) if target is not None else None)
    if fig.actual is None:
        return None
    actual, target = fig.actual, fig.target
    return KpiAchievement(node, period, actual, target, fig.achievement, fig.status)


def _find_node(indicator: Indicator, *, department=None, user=None) -> Indicator | None:
    if user is None and department is None:
        return indicator
    nodes, _children = _descendants(indicator)
    tree = list(nodes.values())
    if user is not None:
        own = [i for i in tree if i.scope == Scope.PERSON and i.person_id == user.pk]
        if own:
            return own[0]
        department = department or user.department
        if department is None:
            return None
    found = [i for i in tree if i.department_id == department.pk and i.scope != Scope.PERSON]
    return found[0] if found else None
