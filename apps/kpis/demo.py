"""`seed_demo` part for indicators: about 45 indicators across the departments with two
years of figures that tell a story. Idempotent: an indicator that exists is left as it is,
so a second run creates nothing."""

import math
import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from .achievement import roll_up
from .demo_data import INDICATORS, PERSONAL, PROCESS_LINKS, SALES_REPS, SALES_SEASON
from .models import Indicator, Measurement, MeasurementRevision, PeriodLock, RollUp, Scope
from .periods import PERIODS_PER_YEAR, Frequency, Period, periods_between, reporting_month
from .services import targets_set_year

WEIGHTS = {"P-FPY": Decimal("0.6"), "Q-OUT": Decimal("0.4")}
ROLLUPS = {"C-SAL": RollUp.SUM, "C-CSAT": RollUp.AVERAGE, "C-QUAL": RollUp.WEIGHTED}


def ratio(story: str, t: float, rng: random.Random) -> float:
    """Achievement ratio over the two years (t from 0 to 1), with a little noise."""
    base = {
        "improve": 0.86 + 0.20 * t,
        "slip": 1.05 - 0.13 * t,  # ends at risk (amber)
        "fall": 1.04 - 0.22 * t,  # ends off target (red)
        "steady": 1.01,
        "late": 1.0,
        "volatile": 1.0 + 0.09 * math.sin(7 * t),
        "recover": 1.03 - 0.15 * math.sin(math.pi * t),
    }[story]
    return base + rng.uniform(-0.015, 0.015)


def seed(ctx: dict) -> None:
    today = ctx.get("today") or timezone.localdate()
    users, heads, depts = ctx["users"], ctx["heads"], ctx["departments"]
    last_month = reporting_month(today)
    first_month = last_month.shift(-23)
    admin = users.get("ops") or next(iter(users.values()))
    existing = set(Indicator.objects.values_list("code", flat=True))
    created = []

    def who(name, dept_code):
        return heads.get(dept_code) if name == "head" else users.get(name) or heads.get(dept_code)

    def make(code, **fields):
        if code in existing:
            return None
        ind = Indicator.objects.create(code=code, active_from=first_month.start, **fields)
        created.append(ind)
        return ind

    specs = {}
    for order, row in enumerate(INDICATORS):
        (
            code,
            name,
            dept,
            unit,
            direction,
            freq,
            rule,
            target,
            growth,
            story,
            parent,
            resp,
            valid,
            definition,
            formula,
            source,
        ) = row
        fields = dict(
            name=name,
            department=depts[dept],
            unit=unit,
            direction=direction,
            frequency=freq,
            year_rule=rule,
            scope=Scope.COMPANY if code.startswith("C-") else Scope.DEPARTMENT,
            responsible=who(resp, dept),
            parent=Indicator.objects.filter(code=parent).first() if parent else None,
            rollup=ROLLUPS.get(code, RollUp.SUM),
            weight=WEIGHTS.get(code, Decimal(1)),
            valid_min=valid[0],
            valid_max=valid[1],
            definition=definition,
            formula=formula,
            data_source=source,
            sort_order=order,
        )
        if direction == "range":
            fields.update(range_low=target[0], range_high=target[1])
        ind = make(code, **fields)
        if ind:
            specs[ind.pk] = (ind, target, growth, story)
    company_sales = Indicator.objects.get(code="C-SAL")
    for i, (username, share, story) in enumerate(SALES_REPS):
        rep = users.get(username)
        if rep is None:
            continue
        ind = make(
            f"S-SAL-{i + 1:02d}",
            name=f"个人销售额（{rep.name}）",
            department=depts["sales"],
            unit="万元",
            direction="higher",
            frequency=Frequency.MONTHLY,
            year_rule="sum",
            scope=Scope.PERSON,
            person=rep,
            responsible=heads.get("sales"),
            parent=company_sales,
            valid_min=0,
            valid_max=2000,
            definition="销售代表个人确认的合同收入。",
            formula="CRM 中归属本人的成交合同收入之和。",
            data_source="CRM",
            sort_order=100 + i,
        )
        if ind:
            specs[ind.pk] = (ind, 800 * share, 0.10, story)
    for code, name, username, unit, target, story in PERSONAL:
        person = users.get(username)
        if person is None:
            continue
        ind = make(
            code,
            name=name,
            department=person.department,
            unit=unit,
            direction="higher",
            frequency=Frequency.MONTHLY,
            year_rule="sum",
            scope=Scope.PERSON,
            person=person,
            responsible=person,
            valid_min=0,
            valid_max=200,
            definition="本人在各媒体平台发布的品牌内容篇数。",
            formula="平台后台统计的本人发布篇数。",
            data_source="媒体平台后台",
            sort_order=200,
        )
        if ind:
            specs[ind.pk] = (ind, target, 0.1, story)

    _link_processes()
    if not specs:
        ctx["stdout"].write("  indicators: already there")
        return
    rng = random.Random(6)
    measurements, values = [], {}
    for ind, target, growth, story in specs.values():
        _targets(ind, target, growth, first_month.year, last_month.year + 1, admin)
        for p, value in _figures(ind, target, growth, story, first_month, last_month, rng).items():
            values[(ind.code, p)] = value
    _parents_follow_children(specs, values, first_month, last_month)
    for (code, p), value in values.items():
        ind = next(s[0] for s in specs.values() if s[0].code == code)
        by = ind.responsible or admin
        measurements.append(
            Measurement(indicator=ind, year=p.year, index=p.index, value=value, entered_by=by, updated_by=by)
        )
    Measurement.objects.bulk_create(measurements, batch_size=1000, ignore_conflicts=True)
    saved = Measurement.objects.filter(indicator__in=[s[0] for s in specs.values()])
    MeasurementRevision.objects.bulk_create(
        [
            MeasurementRevision(measurement=m, changed_by_id=m.entered_by_id, new_value=m.value, source="import")
            for m in saved
        ],
        batch_size=1000,
    )
    _a_few_corrections(specs, admin)
    closed = last_month.shift(-2)  # ops have closed everything up to two months ago
    for freq in Frequency.values:
        for p in periods_between(Period.containing(first_month.start, freq), Period.last_ended_by(closed, freq)):
            PeriodLock.objects.get_or_create(frequency=freq, year=p.year, index=p.index, defaults={"locked_by": admin})
    ctx["stdout"].write(f"  indicators: {len(created)} indicators, {len(measurements)} figures")


def _targets(ind, target, growth, first_year, last_year, by):
    if ind.direction == "range":
        return
    for year in range(first_year, last_year + 1):
        level = Decimal(str(round(target * (1 + growth) ** (year - first_year), 1 if target >= 1 else 2)))
        n = PERIODS_PER_YEAR[ind.frequency]
        if ind.code == "C-SAL" or (ind.scope == Scope.PERSON and ind.parent_id):
            annual = level * 12
            targets_set_year(
                indicator=ind,
                year=year,
                by=by,
                values=[(annual * Decimal(str(w))).quantize(Decimal("0.1")) for w in SALES_SEASON],
            )
        elif ind.year_rule == "sum":
            targets_set_year(indicator=ind, year=year, by=by, annual=level * n)
        else:
            targets_set_year(indicator=ind, year=year, by=by, annual=level)


def _figures(ind, target, growth, story, first_month, last_month, rng) -> dict:
    first = Period.containing(first_month.start, ind.frequency)
    last = Period.last_ended_by(last_month, ind.frequency)
    periods = periods_between(first, last)
    if story == "late":
        periods = periods[:-1]
    out = {}
    span = max(len(periods) - 1, 1)
    for i, p in enumerate(periods):
        t = i / span
        level = target if ind.direction == "range" else target * (1 + growth) ** (p.year - first_month.year)
        if ind.code == "C-SAL" or (ind.scope == Scope.PERSON and ind.parent_id):
            level = level * 12 * SALES_SEASON[p.index - 1]
        r = ratio(story if story != "zero" else "steady", t, rng)
        if story == "zero":
            value = 1 if i in (3, 14, span) else 0
        elif ind.direction == "range":
            low, high = level
            mid, half = (low + high) / 2, (high - low) / 2
            drift = 1.5 * t if story == "slip" else 0
            value = mid + half * (drift + rng.uniform(-0.7, 0.7))
        elif ind.direction == "lower":
            value = level * (2 - r)
        else:
            value = level * r
        if ind.valid_max is not None:
            value = min(value, float(ind.valid_max))
        places = "1" if ind.unit in ("个", "条", "篇", "起") else "0.1"
        out[p] = Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)
    return out


def _parents_follow_children(specs, values, first_month, last_month):
    """A cascaded company figure is its levels rolled up (as the data team computes it):
    销售额 the sum of the representatives, 客户满意度 the average, 产品合格率 the 6:4 blend."""
    inds = [s[0] for s in specs.values()]
    for parent in inds:
        kids = [i for i in inds if i.parent_id == parent.pk]
        if not kids:
            continue
        for p in periods_between(
            Period.containing(first_month.start, parent.frequency), Period.last_ended_by(last_month, parent.frequency)
        ):
            parts = [values.get((k.code, p)) for k in kids]
            value = roll_up(parent.rollup, parts, [k.weight for k in kids])
            if value is not None:
                values[(parent.code, p)] = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _a_few_corrections(specs, by):
    """Two corrections, so the history of a figure has something to show."""
    from .services import measurement_save

    inds = {s[0].code: s[0] for s in specs.values()}
    for code, note, reason in (
        ("SV-COMPLAINT", "补录两起漏登投诉", "漏登投诉补录后重算"),
        ("P-INV", "盘点后修正", "月末盘点差异调整"),
    ):
        ind = inds.get(code)
        m = Measurement.objects.filter(indicator=ind).order_by("-year", "-index").first() if ind else None
        if m and m.value is not None:
            value = (m.value * Decimal("0.98")).quantize(Decimal("0.1")) if code == "SV-COMPLAINT" else m.value + 2
            measurement_save(indicator=ind, period=m.period, value=value, note=note, reason=reason, by=by, locked=False)


def _link_processes():
    """Link indicators to the processes they measure (add() is idempotent)."""
    from apps.processes.models import Process

    procs = {p.code: p for p in Process.objects.filter(code__in={c for codes in PROCESS_LINKS.values() for c in codes})}
    for ind in Indicator.objects.filter(code__in=list(PROCESS_LINKS)):
        linked = [procs[c] for c in PROCESS_LINKS[ind.code] if c in procs]
        if linked:
            ind.processes.add(*linked)
