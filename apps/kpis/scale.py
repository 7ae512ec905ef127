"""`generate_scale_data` part for indicators: --indicators N (default 1000) spread over
the departments, cascaded from company level, with three years of targets and figures.
Bulk inserts only; a few thousand rows per statement."""

import time
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from .models import Indicator, Measurement, PeriodLock, Scope, Target
from .periods import PERIODS_PER_YEAR, Frequency, Period, periods_between, reporting_month

CODE_PREFIX = "SC-K"
SUBJECTS = [
    ("销售额", "万元", "higher", "sum", 800),
    ("回款率", "%", "higher", "average", 95),
    ("客户满意度", "分", "higher", "average", 90),
    ("市场份额", "%", "higher", "average", 18),
    ("用户反馈解决率", "%", "higher", "average", 95),
    ("投诉处理及时率", "%", "higher", "average", 98),
    ("产品合格率", "%", "higher", "average", 98.5),
    ("按时交付率", "%", "higher", "average", 95),
    ("库存周转天数", "天", "lower", "average", 35),
    ("回款周期", "天", "lower", "average", 45),
    ("招聘完成率", "%", "higher", "average", 90),
    ("培训覆盖率", "%", "higher", "average", 95),
    ("员工满意度", "分", "higher", "average", 85),
    ("单位生产成本", "元/台", "lower", "average", 1200),
    ("新客户数", "个", "higher", "sum", 8),
    ("费用预算执行率", "%", "range", "average", (90, 105)),
    ("流程审查完成率", "%", "higher", "average", 100),
    ("项目按期完成率", "%", "higher", "average", 90),
    ("平均响应时长", "分钟", "lower", "average", 30),
    ("采购成本降低率", "%", "higher", "average", 3),
]
QUALIFIERS = [
    "",
    "华东区",
    "华南区",
    "华北区",
    "西南区",
    "线上渠道",
    "重点客户",
    "新产品线",
    "一号工厂",
    "二号工厂",
    "海外业务",
    "政企客户",
    "零售渠道",
    "售后服务",
    "核心供应商",
]
STORIES = [(0.86, 0.20), (1.05, -0.19), (1.01, 0.0), (0.97, 0.05), (1.03, -0.08)]


def add_arguments(parser) -> None:
    parser.add_argument("--indicators", type=int, default=1000, help="indicators (default 1000)")
    parser.add_argument("--kpi-years", type=int, default=3, help="years of figures (default 3)")


def generate(ctx: dict, options: dict) -> None:
    n, years = options["indicators"], options["kpi_years"]
    if Indicator.objects.filter(code__startswith=CODE_PREFIX).exists():
        raise CommandError("Indicator scale data is already there: run with --reset to rebuild it.")
    rng, today = ctx["rng"], ctx["today"]
    dept_ids, heads, user_ids = ctx["department_ids"], ctx["heads"], ctx["user_ids"]
    User = get_user_model()
    people = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "department_id"))
    by_dept: dict[int, list[int]] = {}
    for uid, did in people.items():
        by_dept.setdefault(did, []).append(uid)
    bench = ctx.get("bench_users", {})
    manager_dept = User.objects.filter(username=bench.get("manager")).values_list("department_id", flat=True).first()
    root = dept_ids[0]
    last_month = reporting_month(today)
    first_month = last_month.shift(-12 * years + 1)

    started = time.perf_counter()
    n_company = max(1, n // 20)
    company = [_indicator(rng, i, Scope.COMPANY, root, heads.get(root), None) for i in range(n_company)]
    Indicator.objects.bulk_create(company, batch_size=1000)
    rest = []
    for i in range(n_company, n):
        # the bench manager's department gets a heavy page (about 40 indicators)
        dept = manager_dept if manager_dept and i % 25 == 0 else rng.choice(dept_ids[1:] or dept_ids)
        parent = rng.choice(company) if rng.random() < 0.4 else None
        person = None
        if rng.random() < 0.1 and by_dept.get(dept):
            person = rng.choice(by_dept[dept])
        scope = Scope.PERSON if person else Scope.DEPARTMENT
        ind = _indicator(rng, i, scope, dept, heads.get(dept), person, parent)
        rest.append(ind)
    Indicator.objects.bulk_create(rest, batch_size=1000)
    inds = company + rest
    ctx["timings"].append({"name": "kpis: indicators", "seconds": time.perf_counter() - started, "items": len(inds)})

    started = time.perf_counter()
    targets, figures = [], []
    for ind in inds:
        base = ind._base
        start_ratio, slope = rng.choice(STORIES)
        first = Period.containing(first_month.start, ind.frequency)
        last = Period.last_ended_by(last_month, ind.frequency)
        for year in range(first.year, last_month.year + 1):
            for idx in range(1, PERIODS_PER_YEAR[ind.frequency] + 1):
                if ind.direction != "range":
                    targets.append(
                        Target(indicator=ind, year=year, index=idx, value=_target(ind, base, year - first.year))
                    )
        periods = periods_between(first, last)
        span = max(len(periods) - 1, 1)
        for k, p in enumerate(periods):
            if rng.random() < 0.03 or (k == span and rng.random() < 0.1):
                continue  # a few gaps: missing figures
            r = start_ratio + slope * k / span + rng.uniform(-0.03, 0.03)
            figures.append(
                Measurement(
                    indicator=ind,
                    year=p.year,
                    index=p.index,
                    value=_value(ind, base, r, p.year - first.year),
                    entered_by_id=ind.responsible_id,
                    updated_by_id=ind.responsible_id,
                )
            )
    Target.objects.bulk_create(targets, batch_size=5000)
    Measurement.objects.bulk_create(figures, batch_size=5000)
    closed = last_month.shift(-2)
    PeriodLock.objects.bulk_create(
        [
            PeriodLock(frequency=f, year=p.year, index=p.index)
            for f in Frequency.values
            for p in periods_between(Period.containing(first_month.start, f), Period.last_ended_by(closed, f))
        ],
        ignore_conflicts=True,
    )
    ctx["timings"].append(
        {
            "name": "kpis: targets and figures",
            "seconds": time.perf_counter() - started,
            "items": len(targets) + len(figures),
        }
    )
    ctx["stdout"].write(f"  indicators: {len(inds)} indicators, {len(targets)} targets, {len(figures)} figures")


def _indicator(rng, i, scope, dept, head, person, parent=None) -> Indicator:
    name, unit, direction, rule, base = SUBJECTS[i % len(SUBJECTS)] if parent is None else _like(parent)
    freq = parent.frequency if parent is not None else rng.choices(Frequency.values, weights=[6, 3, 1])[0]
    qualifier = rng.choice(QUALIFIERS)
    ind = Indicator(
        code=f"{CODE_PREFIX}{i + 1:05d}",
        name=f"{qualifier}{name}",
        unit=unit,
        direction=direction,
        frequency=freq,
        year_rule=rule,
        scope=scope,
        department_id=dept,
        person_id=person,
        responsible_id=head or person,
        parent=parent,
        rollup="sum" if rule == "sum" else "average",
        range_low=base[0] if direction == "range" else None,
        range_high=base[1] if direction == "range" else None,
        valid_min=0,
        valid_max=100 if unit == "%" else None,
        active_from=date(2020, 1, 1),
        definition=f"{qualifier or '公司'}{name}，按{dict(Frequency.choices)[freq]}统计。",
        formula="按数据源口径计算。",
        data_source=rng.choice(["ERP", "CRM", "MES", "工单系统", "人事系统", "财务报表"]),
    )
    ind._base = base
    ind._subject = (name, unit, direction, rule, base)
    return ind


def _like(parent):
    return parent._subject


def _target(ind, base, years_in) -> Decimal:
    value = base * (1.05**years_in) if ind.year_rule == "sum" and ind.direction == "higher" else base
    return Decimal(str(round(value, 2)))


def _value(ind, base, r, years_in) -> Decimal:
    if ind.direction == "range":
        low, high = base
        value = (low + high) / 2 + (high - low) * (1 - r) * 2
    else:
        level = float(_target(ind, base, years_in))
        value = level * r if ind.direction == "higher" else level * (2 - r)
    if ind.unit == "%":
        value = min(value, 100)
    return Decimal(str(round(value, 1)))
