"""`generate_scale_data` part for the risk register: --risks N (default 5,000) across the
departments with --assessments-per-risk M (default 10, so 50,000 assessments), measures,
and key risk indicators bound to scale indicators. Bulk inserts only."""

import time
from datetime import timedelta

from django.core.management.base import CommandError

from .defaults import ensure_defaults
from .models import Assessment, Category, KeyRiskIndicator, LevelBand, Measure, Risk, ScaleLevel
from .scoring import DEFAULT_BANDS, level_for, score

CODE_PREFIX = "SC-R"
SUBJECTS = [
    "客户集中度过高",
    "回款周期延长",
    "供应商交付延迟",
    "关键人员流失",
    "数据泄露",
    "系统宕机",
    "合同审核疏漏",
    "安全生产事故",
    "原材料涨价",
    "质量批量不合格",
    "营销费用超支",
    "项目延期",
    "税务申报差错",
    "库存积压",
]


def add_arguments(parser) -> None:
    parser.add_argument("--risks", type=int, default=5000, help="risks (default 5000)")
    parser.add_argument("--assessments-per-risk", type=int, default=10, help="assessments per risk (default 10)")


def generate(ctx: dict, options: dict) -> None:
    n, per = options["risks"], options["assessments_per_risk"]
    if Risk.objects.filter(code__startswith=CODE_PREFIX).exists():
        raise CommandError("Risk scale data is already there: run with --reset to rebuild it.")
    rng, dept_ids, heads, user_ids = ctx["rng"], ctx["department_ids"], ctx["heads"], ctx["user_ids"]
    ensure_defaults(Category, ScaleLevel, LevelBand)  # --reset empties the migration's lists too
    categories = list(Category.objects.values_list("pk", flat=True))
    bench = ctx.get("bench_users", {})
    from django.contrib.auth import get_user_model

    manager = get_user_model().objects.filter(username=bench.get("manager")).first()
    started = time.perf_counter()
    risks = []
    for i in range(n):
        # The bench manager's department gets a heavy share (about one risk in ten).
        dept = manager.department_id if manager and manager.department_id and i % 10 == 0 else rng.choice(dept_ids)
        li, im = rng.randint(1, 5), rng.randint(1, 5)
        rl, ri = rng.randint(1, li), rng.randint(1, im)
        risks.append(
            Risk(
                code=f"{CODE_PREFIX}-{i:06d}",
                title=f"{rng.choice(SUBJECTS)}（{i}）",
                category_id=rng.choice(categories),
                department_id=dept,
                owner_id=heads.get(dept) or rng.choice(user_ids),
                reported_by_id=rng.choice(user_ids),
                status=Risk.Status.OPEN if rng.random() < 0.9 else Risk.Status.CLOSED,
                confidential=rng.random() < 0.05,
                company_wide=rng.random() < 0.05,
                likelihood=li,
                impact=im,
                inherent_score=score(li, im),
                inherent_level=level_for(score(li, im), DEFAULT_BANDS),
                residual_likelihood=rl,
                residual_impact=ri,
                residual_score=score(rl, ri),
                residual_level=level_for(score(rl, ri), DEFAULT_BANDS),
                strategy="reduce",
                description="规模测试数据：风险描述。",
            )
        )
    Risk.objects.bulk_create(risks, batch_size=2000)
    ctx["timings"].append({"name": "risks: risks", "seconds": time.perf_counter() - started, "items": n})

    started = time.perf_counter()

    rows, measures = [], []
    for r in risks:
        for _k in range(per):
            li, im = max(1, min(5, r.likelihood + rng.randint(-1, 1))), r.impact
            rl, ri = rng.randint(1, li), rng.randint(1, im)
            rows.append(
                Assessment(
                    risk=r,
                    likelihood=li,
                    impact=im,
                    inherent_score=score(li, im),
                    inherent_level=level_for(score(li, im), DEFAULT_BANDS),
                    residual_likelihood=rl,
                    residual_impact=ri,
                    residual_score=score(rl, ri),
                    residual_level=level_for(score(rl, ri), DEFAULT_BANDS),
                    assessed_by_id=r.owner_id,
                    controls="定期检查。",
                )
            )
        if rng.random() < 0.5:
            measures.append(
                Measure(
                    risk=r,
                    title="专项应对方案",
                    owner_id=r.owner_id,
                    due_date=ctx["today"] + timedelta(days=rng.randint(-60, 120)),
                    status=rng.choice(Measure.Status.values),
                )
            )
    Assessment.objects.bulk_create(rows, batch_size=5000)
    Measure.objects.bulk_create(measures, batch_size=5000)
    from apps.kpis.models import Indicator

    indicators = list(Indicator.objects.order_by("pk").values_list("pk", flat=True)[:500])
    kris = (
        [
            KeyRiskIndicator(risk=r, indicator_id=indicators[i % len(indicators)], comparator="lt", threshold=90)
            for i, r in enumerate(risks[: len(indicators) * 2 : 2])
        ]
        if indicators
        else []
    )
    KeyRiskIndicator.objects.bulk_create(kris, batch_size=2000, ignore_conflicts=True)
    ctx["timings"].append(
        {
            "name": "risks: assessments, measures, indicators",
            "seconds": time.perf_counter() - started,
            "items": len(rows) + len(measures) + len(kris),
        }
    )
    ctx["stdout"].write(f"  risks: {n} risks, {len(rows)} assessments, {len(measures)} measures, {len(kris)} KRIs")
