"""`seed_demo` part for processes: ~15 processes from the user's documents, reviews with
improvement actions, and change requests in every state. Idempotent: processes are keyed
by code, requests by (process, title)."""

import datetime

from django.utils import timezone

from apps.approvals import services as approvals
from apps.approvals.models import Delegation
from apps.departments.models import Position

from . import services
from .demo_data import PROCESSES
from .models import ChangeRequest, Process, ProcessReview
from .steps import version_steps


def _steps(rows, depts, positions) -> list[dict]:
    keys = [r[0] for r in rows]
    out = []
    for i, (key, name, dept, pos, desc, inputs, outputs, hours, nxt) in enumerate(rows):
        if nxt is None:
            links = [{"to": keys[i + 1], "condition": ""}] if i + 1 < len(keys) else []
        else:
            links = [{"to": to, "condition": cond} for to, cond in nxt]
        out.append(
            {
                "key": key,
                "name": name,
                "department_id": depts[dept].pk,
                "position_id": positions[pos].pk if pos in positions else None,
                "description": desc,
                "inputs": inputs,
                "outputs": outputs,
                "time_limit_hours": hours,
                "next": links,
            }
        )
    return out


def seed(ctx: dict) -> None:
    today = ctx["today"]
    depts, users, heads = ctx["departments"], ctx["users"], ctx["heads"]
    positions = {p.code: p for p in Position.objects.all()}
    created = 0
    for code, name, dept, purpose, scope, start, end, days, review_offset, rows in PROCESSES:
        if Process.objects.filter(code=code).exists():
            continue
        process = services.process_save(
            code=code,
            name=name,
            department=depts[dept],
            owner=heads.get(dept),
            purpose=purpose,
            scope=scope,
            start_trigger=start,
            end_condition=end,
            target_cycle_days=days,
            next_review_date=today + datetime.timedelta(days=review_offset),
        )
        services.version_publish(
            process=process,
            steps=_steps(rows, depts, positions),
            user=users["ops"],
            effective_date=today - datetime.timedelta(days=200),
            summary="初始版本",
        )
        created += 1
    n_requests = _requests(ctx)
    _reviews(ctx)
    _articles()
    ctx["stdout"].write(f"  processes: {created} new processes, {n_requests} new change requests")


def _edit(process, change):
    steps = version_steps(process.current_version)
    return change(steps)


def _requests(ctx) -> int:
    u, today = ctx["users"], ctx["today"]
    procs = {p.code: p for p in Process.objects.select_related("current_version", "department")}

    def add_step_after(key, new):
        def change(steps):
            i = next(i for i, s in enumerate(steps) if s["key"] == key)
            new["next"] = steps[i]["next"]
            steps[i] = {**steps[i], "next": [{"to": new["key"], "condition": ""}]}
            steps.insert(i + 1, new)
            return steps

        return change

    def edit_step(key, **fields):
        def change(steps):
            return [{**s, **fields} if s["key"] == key else s for s in steps]

        return change

    def swap(a, b):
        """Move step b before step a, rewiring the chain a→b→c into b→a→c."""

        def change(steps):
            ia = next(i for i, s in enumerate(steps) if s["key"] == a)
            ib = next(i for i, s in enumerate(steps) if s["key"] == b)
            sa, sb = steps[ia], steps[ib]
            preds = [s for s in steps if any(n["to"] == a for n in s["next"])]
            for p in preds:
                p["next"] = [{**n, "to": b} if n["to"] == a else n for n in p["next"]]
            sa_next, sb_next = sb["next"], [{"to": a, "condition": ""}]
            steps[ia], steps[ib] = {**sb, "next": sb_next}, {**sa, "next": sa_next}
            return steps

        return change

    data_dept = ctx["departments"]["ops-data"].pk
    plans = [
        # (process, proposer, title, reason, effect, urgency, major, change, path of (user, action, comment), days ago)
        (
            # Crosses into the quality department: waits in the finance + quality countersign (会签).
            "PRD-PL-01",
            "ops",
            "生产计划增加质检排程",
            "质检排程与生产计划脱节，待检物料积压。",
            "待检积压减少一半。",
            "normal",
            False,
            edit_step("s2", department_id=ctx["departments"]["quality"].pk),
            [
                ("ops", "submit", ""),
                ("production-head", "approve", "同意。"),
                ("ops-head", "approve", "涉及质检部，请财务部、质检部会签。"),
            ],
            3,
        ),
        (
            "MKT-RS-01",
            "staff",
            "调研计划增加预算测算环节",
            "调研执行阶段多次因预算不足中断，需在计划阶段测算预算。",
            "调研中断次数减少，按期完成率提升到90%以上。",
            "normal",
            False,
            edit_step(
                "s2", description="明确调研目标、方法（问卷、访谈）、时间表与预算测算。", outputs="调研计划、预算测算表"
            ),
            [("staff", "submit", "")],
            3,
        ),
        (
            "MKT-CH-01",
            "staff",
            "渠道评估改为月度",
            "季度评估发现问题滞后，渠道流失后才察觉。",
            "渠道问题提前两个月发现。",
            "high",
            False,
            edit_step("s7", name="渠道月度评估", time_limit_hours=16),
            [("staff", "submit", ""), ("manager", "approve", "同意，按月评估。")],
            6,
        ),
        (
            "SAL-CT-01",
            "sales-head",
            "合同审核并行处理",
            "财务审核与法律审核串行，合同平均等待5天。",
            "合同审批周期缩短至3天以内。",
            "high",
            True,
            swap("s4", "s5"),
            # The head proposes for his own department: the general manager approves that stage.
            [("sales-head", "submit", ""), ("gm", "approve", "同意，请运营管理部审核。")],
            9,
        ),
        (
            "PUR-01",
            "purchasing-head",
            "采购审批增加质量部会签",
            "近期来料不合格率上升，供应商选择需质量部参与。",
            "来料不合格率下降30%。",
            "normal",
            False,
            add_step_after(
                "s4",
                {
                    "key": "s11",
                    "name": "质量部会签",
                    "department_id": ctx["departments"]["quality"].pk,
                    "position_id": None,
                    "description": "评估候选供应商的质量保证能力。",
                    "inputs": "比价单",
                    "outputs": "会签意见",
                    "time_limit_hours": 8,
                },
            ),
            [
                ("purchasing-head", "submit", ""),
                ("gm", "approve", "同意。"),
                ("ops", "return", "请补充质量部会签的判定标准和时限依据。"),
            ],
            12,
        ),
        (
            "MKT-RS-01",
            "staff",
            "取消调研计划审批",
            "调研计划审批耗时过长。",
            "节省2天。",
            "low",
            False,
            lambda steps: _drop(steps, "s3"),
            [("staff", "submit", ""), ("manager", "reject", "计划审批是预算控制的必要环节，不同意取消。")],
            20,
        ),
        (
            "HR-TR-01",
            "hr",
            "培训评估增加三个月后跟踪",
            "培训效果仅靠当场考试，无法反映实际应用。",
            "培训转化率可衡量。",
            "normal",
            False,
            add_step_after(
                "s5",
                {
                    "key": "s7",
                    "name": "三个月后效果跟踪",
                    "department_id": data_dept,
                    "position_id": None,
                    "description": "对比培训前后相关KPI。",
                    "inputs": "培训评估报告",
                    "outputs": "效果跟踪报告",
                    "time_limit_hours": 16,
                },
            ),
            [("hr", "submit", ""), ("hr", "withdraw", "与数据分析组沟通后改为下季度再提。")],
            15,
        ),
        (
            "SVC-CP-01",
            "service-head",
            "投诉受理时限缩短为1小时",
            "客户反映首次响应慢。",
            "首次响应满意度提升。",
            "normal",
            False,
            edit_step("s1", time_limit_hours=1, description="1小时内记录投诉内容并告知客户处理时限。"),
            [],
            1,
        ),
        (
            "WH-IN-01",
            "ops",
            "成品入库增加扫码核对",
            "手工核对数量易出错，账实不符。",
            "入库差错率降为0。",
            "normal",
            False,
            edit_step("s3", description="扫码核对数量、贴标并上架。", outputs="成品入库单（系统生成）"),
            [
                ("ops", "submit", ""),
                ("production-head", "approve", "同意。"),
                ("ops-head", "approve", "同意，尽快上线。"),
            ],
            40,
        ),
    ]
    _demo_flow(ctx)
    n = 0
    for code, proposer, title, reason, effect, urgency, major, change, path, days_ago in plans:
        process = procs[code]
        if ChangeRequest.objects.filter(process=process, title=title).exists() or proposer not in u:
            continue
        steps = _edit(process, change)
        cr = services.change_request_create(
            process=process,
            proposer=u[proposer],
            title=title,
            reason=reason,
            expected_effect=effect,
            urgency=urgency,
            marked_major=major,
            steps=steps,
        )
        for who, action, comment in path:
            if who not in u:
                break
            cr = services.change_request_transition(cr=cr, user=u[who], action=action, comment=comment, today=today)
        _backdate(cr, days_ago, today)
        n += 1
    if not Delegation.objects.filter(kind="processes.change").exists() and "ops-head" in u:
        approvals.delegation_create(
            principal=u["gm"],
            delegate=u["ops-head"],
            kind="processes.change",
            start_date=today + datetime.timedelta(days=20),
            end_date=today + datetime.timedelta(days=27),
            note="出差期间",
        )
    return n


def _demo_flow(ctx) -> None:
    """The demo's process-change flow uses every mode: the owning head (依次), operations
    management (或签), finance and quality countersign a change that crosses departments
    (会签), the general manager for a major change, and HR is copied (抄送)."""
    from apps.approvals import flows
    from apps.approvals.models import FlowVersion
    from apps.approvals.registry import kind_for

    heads = ctx["heads"]
    kind = kind_for("processes.change")
    if kind is None or FlowVersion.objects.filter(flow__kind=kind.code, note="演示：五种审批方式").exists():
        return
    countersign = [{"type": "user", "user": heads[d].pk} for d in ("finance", "quality") if heads.get(d)]
    stages = [dict(s) for s in kind.default_stages]
    stages.insert(
        2,
        {
            "key": "cross",
            "name": "相关部门会签",
            "mode": "all",
            "approvers": countersign,
            "condition": {"type": "crosses"},
            "limit_days": 3,
        },
    )
    stages.append({"key": "cc", "name": "抄送人力资源部", "mode": "cc", "approvers": [{"type": "role", "role": "hr"}]})
    flows.save_version(kind=kind, stages=stages, user=ctx["users"].get("admin"), note="演示：五种审批方式")


def _drop(steps, key):
    """Remove step `key`, linking its predecessors to its first successor."""
    victim = next(s for s in steps if s["key"] == key)
    after = next(
        (
            n["to"]
            for n in victim["next"]
            if n["to"] != key and [s["key"] for s in steps].index(n["to"]) > [s["key"] for s in steps].index(key)
        ),
        None,
    )
    out = []
    for s in steps:
        if s["key"] == key:
            continue
        nxt = []
        for link in s["next"]:
            if link["to"] == key:
                if after and not any(x["to"] == after for x in nxt):
                    nxt.append({"to": after, "condition": ""})
            else:
                nxt.append(link)
        out.append({**s, "next": nxt})
    return out


def _backdate(cr: ChangeRequest, days_ago: int, today: datetime.date) -> None:
    """Spread the request's history over the `days_ago` days before `today` (the seed's day, at
    this time of day) so ages and the stage report look like real use: every moment of its
    approval (one per operation) moves to an evenly spaced moment in that span."""
    from apps.approvals import bulk

    approval = services.approval_of(cr)
    now = timezone.make_aware(datetime.datetime.combine(today, timezone.localtime().time()))
    start = now - datetime.timedelta(days=days_ago)
    if approval is not None:
        bulk.retime(approval, start=start, end=now)
    ChangeRequest.objects.filter(pk=cr.pk).update(created_at=start)


def _reviews(ctx) -> None:
    u, today = ctx["users"], ctx["today"]
    if ProcessReview.objects.exists():
        return
    items = [
        (
            "PUR-01",
            "采购审批环节平均耗时超过目标；比价记录不完整的情况占15%。",
            [("比价单模板增加必填项", "purchasing-head", 10), ("每月通报采购审批超时情况", "ops", -3)],
        ),
        (
            "MKT-RS-01",
            "调研报告结论与建议区分不清，评审会多次退回。",
            [("制定调研报告模板", "manager", 14), ("组织一次调研方法培训", "staff", 30)],
        ),
        ("SVC-CP-01", "投诉分析月报未覆盖重复投诉率。", [("月报增加重复投诉率指标", "ops", 7)]),
    ]
    procs = {p.code: p for p in Process.objects.filter(code__in=[i[0] for i in items])}
    for code, findings, actions in items:
        if code not in procs:
            continue
        services.review_record(
            process=procs[code],
            reviewer=u["ops"],
            reviewed_on=today - datetime.timedelta(days=20),
            findings=findings,
            next_review_date=today + datetime.timedelta(days=160),
            actions=[
                {"description": d, "owner": u[o], "due_date": today + datetime.timedelta(days=days)}
                for d, o, days in actions
                if o in u
            ],
        )


# process code -> (policy code, how many of its first articles)
ARTICLE_LINKS = {
    "OPS-PI-01": ("OPS-ZD-001", 4),
    "PUR-01": ("PUR-ZD-001", 3),
    "FIN-EX-01": ("FIN-ZD-001", 3),
    "HR-RC-01": ("HR-ZD-001", 2),
    "HR-PA-01": ("HR-ZD-001", 3),
    "QA-IN-01": ("QA-ZD-001", 2),
    "SAL-CT-01": ("SAL-ZD-001", 2),
    "SVC-CP-01": ("SVC-ZD-001", 2),
    "MKT-RS-01": ("MKT-ZD-001", 2),
}


def _articles() -> None:
    """Link demo processes to articles of the demo regulations (when that module seeded them)."""
    from apps.policies.models import Policy, PolicyNode

    policies = {
        p.code: p
        for p in Policy.objects.filter(code__in=[v[0] for v in ARTICLE_LINKS.values()], current_version__isnull=False)
    }
    for process in Process.objects.filter(code__in=list(ARTICLE_LINKS)):
        policy_code, count = ARTICLE_LINKS[process.code]
        if policy_code not in policies or process.articles.exists():
            continue
        nodes = PolicyNode.objects.filter(version_id=policies[policy_code].current_version_id, kind="article").order_by(
            "ordinal"
        )[:count]
        process.articles.add(*nodes)
