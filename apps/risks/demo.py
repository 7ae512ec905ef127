"""`seed_demo` part for the risk register: about 25 risks across the departments and levels,
assessed (some reassessed, so the trend shows), with measures in every state, key risk
indicators bound to demo indicators (one in warning, computed from the demo's own figures)
and one acceptance waiting for the general manager. Dates are relative to the day it runs;
a second run creates nothing."""

from datetime import timedelta
from decimal import Decimal

from . import services
from .models import Assessment, Category, KeyRiskIndicator, Measure, Risk, Strategy

# title, category, department, company-wide, confidential, (L, I), (residual L, I), response, reassessed from
RISKS = [
    ("核心客户集中度过高", "market", "sales", False, False, (4, 4), (3, 4), "reduce", (5, 4)),
    ("应收账款回款周期延长", "financial", "finance", True, False, (4, 4), (3, 3), "reduce", None),
    ("客户投诉处理不及时", "operational", "service", False, False, (3, 4), (2, 3), "reduce", (4, 4)),
    ("关键岗位人员流失", "operational", "hr", True, False, (3, 4), (3, 3), "reduce", None),
    ("供应商交付延迟", "operational", "purchasing", False, False, (4, 3), (3, 2), "transfer", None),
    ("原材料价格大幅上涨", "market", "purchasing", False, False, (3, 3), (3, 2), "accept", None),
    ("产品质量批量不合格", "operational", "quality", False, False, (2, 5), (2, 3), "reduce", None),
    ("生产安全事故", "safety", "production", True, False, (2, 5), (1, 4), "reduce", None),
    ("客户数据泄露", "it", "rnd", True, True, (2, 5), (2, 4), "reduce", None),
    ("业务系统长时间宕机", "it", "rnd", True, False, (3, 4), (2, 3), "reduce", None),
    ("合同条款审核不严", "compliance", "ops-process", False, False, (3, 3), (2, 2), "reduce", None),
    ("制度执行不到位", "compliance", "ops", True, False, (3, 3), (2, 3), "reduce", None),
    ("营销费用超预算", "financial", "marketing", False, False, (3, 2), (2, 2), "accept", None),
    ("品牌负面舆情", "market", "marketing", False, False, (2, 4), (2, 3), "reduce", None),
    ("新产品研发延期", "strategic", "rnd", False, False, (3, 3), (3, 2), "reduce", None),
    ("年度经营目标未达成", "strategic", "ops-planning", True, False, (3, 4), (3, 3), "reduce", None),
    ("数据统计口径不一致", "operational", "ops-data", False, False, (2, 2), (1, 2), "reduce", None),
    ("项目验收延误", "operational", "ops-pmo", False, False, (3, 3), (2, 3), "reduce", None),
    ("税务申报差错", "compliance", "finance", False, False, (2, 4), (1, 3), "reduce", None),
    ("库存积压", "financial", "production", False, False, (3, 3), (3, 3), "accept", None),
    ("仓库消防隐患", "safety", "production", False, False, (2, 4), (1, 3), "avoid", None),
    ("重大诉讼", "compliance", "gm-office", False, True, (2, 5), (2, 5), "accept", None),
    ("销售渠道依赖单一平台", "market", "sales", False, False, (3, 4), (3, 4), "accept", None),
]
REPORTED = [
    ("展会物料运输损坏", "operational", "marketing"),
    ("考勤系统数据丢失", "it", "hr"),
]
# (risk title, indicator code, comparator, threshold ratio of the newest figure or a fixed value)
KRIS = [
    ("应收账款回款周期延长", "C-DSO", "gt", "breach"),  # the demo's collection cycle is slipping: in warning
    ("客户投诉处理不及时", "C-CSAT", "lt", "safe"),
]


def _person(ctx, dept_code):
    return ctx["heads"].get(dept_code) or ctx["users"].get("ops")


def seed(ctx: dict) -> None:
    today = ctx["today"]
    users, depts = ctx["users"], ctx["departments"]
    ops = users["ops"]
    if Risk.objects.exists():
        return
    categories = {c.code: c for c in Category.objects.all()}
    created = {}
    for n, (title, cat, dept, wide, secret, (li, im), (rl, ri), strategy, earlier) in enumerate(RISKS):
        department = depts[dept]
        owner = _person(ctx, dept)
        risk = services.report_risk(
            reporter=ops if n % 3 else owner,
            title=title,
            category=categories[cat],
            department=department,
            description=f"{title}：可能对公司经营造成影响，需要持续监控。",
            causes="外部环境变化；内部控制薄弱环节。",
            consequences="经济损失、客户流失或声誉受损。",
            confidential=secret,
            company_wide=wide,
        )
        risk = services.accept_risk(risk=risk, actor=ops, owner=owner, seen=Risk.Status.REPORTED)
        if earlier:
            services.assess(
                risk=risk,
                actor=owner,
                likelihood=earlier[0],
                impact=earlier[1],
                residual_likelihood=min(earlier[0], rl + 1),
                residual_impact=min(earlier[1], ri),
                controls="初步控制措施。",
            )
        services.assess(
            risk=risk,
            actor=owner,
            likelihood=li,
            impact=im,
            residual_likelihood=rl,
            residual_impact=ri,
            controls="已建立审批、复核与定期检查机制。",
        )
        if strategy != "accept" or (rl * ri) < 10:
            services.set_response(risk=risk, actor=owner, strategy=strategy, plan="按计划落实应对措施，按月跟踪。")
        services.update_risk(risk=risk, actor=ops, review_date=today + timedelta(days=15 + 7 * (n % 8)))
        created[title] = risk
    # Backdate the first assessments so the trend spans months, not seconds.
    for a in Assessment.objects.filter(note="", controls="初步控制措施。"):
        Assessment.objects.filter(pk=a.pk).update(assessed_at=a.assessed_at - timedelta(days=120))
    # A high risk proposed for acceptance by its owner: waits for the general manager.
    channel = created["销售渠道依赖单一平台"]
    services.set_response(
        risk=channel, actor=channel.owner, strategy=Strategy.ACCEPT, plan="短期内无替代平台，接受该风险并加强监控。"
    )
    # Measures in every state; one overdue (its reminder and escalation come from the scan).
    states = [Measure.Status.PLANNED, Measure.Status.IN_PROGRESS, Measure.Status.DONE, Measure.Status.CANCELLED]
    for n, risk in enumerate(list(created.values())[:12]):
        m = services.add_measure(
            risk=risk,
            actor=ops,
            title=f"{risk.title}：制定并落实专项应对方案",
            owner=risk.owner,
            due_date=today + timedelta(days=10 + 5 * n),
            today=today,
        )
        status = states[n % 4]
        if status != Measure.Status.PLANNED:
            services.update_measure(measure=m, actor=risk.owner, status=status, progress_note="已按计划推进。")
    late = services.add_measure(
        risk=created["客户投诉处理不及时"],
        actor=ops,
        title="建立投诉升级处理机制",
        owner=users.get("staff") or ops,
        due_date=today,
        today=today,
    )
    Measure.objects.filter(pk=late.pk).update(due_date=today - timedelta(days=6), status=Measure.Status.IN_PROGRESS)
    # Past the review date: the review reminder is due.
    Risk.objects.filter(pk=created["制度执行不到位"].pk).update(review_date=today - timedelta(days=2))
    services.record_review(
        risk=created["营销费用超预算"],
        actor=created["营销费用超预算"].owner,
        note="费用执行情况已复核，维持现有评估。",
        next_review=today + timedelta(days=90),
        today=today,
    )
    _kris(created)
    for title, cat, dept in REPORTED:
        services.report_risk(
            reporter=users.get("staff") or ops,
            title=title,
            category=categories[cat],
            department=depts[dept],
            description=f"{title}，请评估。",
        )
    ctx["stdout"].write(f"  risks: {Risk.objects.count()} risks, {KeyRiskIndicator.objects.count()} indicators bound")


def _kris(created) -> None:
    from apps.kpis.models import Indicator

    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[k[1] for k in KRIS])}
    figures = services.latest_figures([i.pk for i in indicators.values()])
    for title, code, comparator, mode in KRIS:
        indicator = indicators.get(code)
        if indicator is None or indicator.pk not in figures:
            continue
        latest = figures[indicator.pk][2]
        # From the demo's own newest figure: "breach" sits just inside it, "safe" well away.
        if comparator == "gt":
            threshold = latest * Decimal("0.95") if mode == "breach" else latest * Decimal("1.5")
        else:
            threshold = latest * Decimal("1.05") if mode == "breach" else latest * Decimal("0.5")
        kri = KeyRiskIndicator.objects.create(
            risk=created[title],
            indicator=indicator,
            comparator=comparator,
            threshold=threshold.quantize(Decimal("0.01")),
        )
        services.evaluate_kris(KeyRiskIndicator.objects.filter(pk=kri.pk))
