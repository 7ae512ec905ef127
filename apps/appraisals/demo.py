"""`seed_demo` part: the default template, a sales template, the latest quarter whose cycle
has run its course by the day the seed runs closed with published results, and the quarter
after it in self-assessment (deadlines ahead). Every date follows the day the seed runs and the
working-day calendar. Idempotent: each cycle is created only if it does not exist yet."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from apps.core.statemachine import transition
from apps.kpis.models import Indicator
from apps.scheduling.calendar import add_working_days, first_working_day_of_quarter, previous_quarter

from .defaults import ensure_default_template
from .machines import CYCLE
from .models import Appraisal, Criterion, Cycle, Stage, Template
from .opening import appraisal_cycle_open, default_dates, parse_period
from .simulate import FILLED_FIELDS, cap_excellent, fill

SALES_TEMPLATE = "销售岗位季度考核表"
SALES_CRITERIA = [
    ("results", "销售目标完成率", 40, "本季度签约额相对于销售目标的完成比例。", "C-SAL"),
    ("results", "回款与客户维护", 20, "应收账款回收、重点客户维护与满意度。", ""),
    ("ability", "市场开拓与谈判能力", 20, "新客户开发、商务谈判和方案呈现能力。", ""),
    ("attitude", "责任心与团队协作", 20, "遵守销售管理制度，与售前、交付团队协作。", ""),
]


def _sales_template(departments) -> None:
    if Template.objects.filter(name=SALES_TEMPLATE).exists() or "sales" not in departments:
        return
    template = Template.objects.create(name=SALES_TEMPLATE, description="销售部及其下属岗位适用，业绩占比 60%。")
    Criterion.objects.bulk_create(
        [
            Criterion(
                template=template,
                group=g,
                name=n,
                weight=w,
                description=d,
                sort_order=i,
                indicator=Indicator.objects.filter(code=k).first() if k else None,
                guidance_excellent="显著超出岗位要求",
                guidance_good="达到并部分超出要求",
                guidance_pass="基本达到要求",
                guidance_fail="未达到要求",
            )
            for i, (g, n, w, d, k) in enumerate(SALES_CRITERIA)
        ]
    )
    template.departments.add(departments["sales"])


def _aware(day: date):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _code(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


def _opened_on(code: str) -> date:
    """A quarter's cycle opens on the first working day of the next quarter (the scheduled job)."""
    _kind, _start, end = parse_period(code)
    return first_working_day_of_quarter(end + timedelta(days=1))


def demo_quarters(today: date) -> tuple[str, str]:
    """(closed, current): the latest quarter whose cycle has closed before `today`, and the next."""
    year, quarter = previous_quarter(today)
    while default_dates(parse_period(_code(year, quarter))[2], _opened_on(_code(year, quarter)))["close_date"] >= today:
        year, quarter = previous_quarter(date(year, 3 * quarter - 2, 1))
    closed = _code(year, quarter)
    current = _code(year + 1, 1) if quarter == 4 else _code(year, quarter + 1)
    return closed, current


@transaction.atomic
def _closed_quarter(code: str, rng: random.Random) -> None:
    if Cycle.objects.filter(code=code).exists():
        return
    opened = _opened_on(code)
    cycle, _n = appraisal_cycle_open(code=code, today=opened, notify=False)
    rows = list(Appraisal.objects.filter(cycle=cycle).select_related("form", "cycle", "employee"))
    for a in rows:
        fill(
            a,
            rng,
            published=True,
            acknowledged=a.employee.username != "staff" and rng.random() < 0.8,
            now=_aware(add_working_days(cycle.self_deadline, 5)),
        )
    cap_excellent(rows, 20)
    Appraisal.objects.bulk_update(rows, FILLED_FIELDS, batch_size=500)
    published = add_working_days(cycle.calibration_deadline, 1)
    # the past cycle's stages, one step after the other on the stage machine
    for stage in (Stage.REVIEW, Stage.CALIBRATION, Stage.PUBLISHED, Stage.CLOSED):
        fields = {"published_at": _aware(published)} if stage == Stage.PUBLISHED else None
        transition(cycle, machine=CYCLE, to=stage, fields=fields)


@transaction.atomic
def _current_quarter(code: str, today: date, rng: random.Random) -> None:
    if Cycle.objects.filter(code=code).exists():
        return
    # Deadlines from the opening rule: the self-assessment is due about ten days ahead, or
    # after the quarter's end when the quarter is still running.
    cycle, _n = appraisal_cycle_open(code=code, today=today, notify=False)
    rows = [
        a
        for a in Appraisal.objects.filter(cycle=cycle).select_related("form", "cycle", "employee")
        if a.employee.username not in ("staff", "manager", "hr", "gm")
    ]
    done = rng.sample(rows, k=len(rows) * 2 // 5)
    for a in done:
        fill(a, rng, review_done=False, now=_aware(today))
    Appraisal.objects.bulk_update(done, FILLED_FIELDS, batch_size=500)


def seed(ctx: dict) -> None:
    rng = random.Random(7)
    ensure_default_template()
    _sales_template(ctx.get("departments") or {})
    closed, current = demo_quarters(ctx["today"])
    _closed_quarter(closed, rng)
    _current_quarter(current, ctx["today"], rng)
    counts = {c.code: c.appraisals.count() for c in Cycle.objects.filter(code__in=[closed, current])}
    ctx["stdout"].write(f"  appraisals: {counts} ({closed} closed, {current} in self-assessment)")
