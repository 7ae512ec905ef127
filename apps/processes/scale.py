"""`generate_scale_data` part for processes: --processes N (default 500) with published
steps and links spread over the departments, and --change-requests N (default 2000) in
every state with consistent histories. Bulk inserts only.

The bench manager's department owns a share of the processes, so that manager has a busy
"awaiting my decision" inbox; one process has 60 steps over 8 lanes (the bench's large
process page)."""

import datetime
import time

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from apps.accounts.roles import Role
from apps.departments.models import Department, Position

from .models import (
    ChangeRequest,
    ImprovementAction,
    Process,
    ProcessReview,
    ProcessStep,
    ProcessVersion,
    StepLink,
)

CODE_PREFIX = "SC-P"
S = ChangeRequest.Status
OBJECTS = [
    "采购",
    "合同",
    "报销",
    "订单",
    "投诉",
    "招聘",
    "培训",
    "入库",
    "出库",
    "检验",
    "立项",
    "付款",
    "对账",
    "开票",
    "退货",
    "盘点",
    "维修",
    "保养",
    "巡检",
    "用印",
    "档案",
    "预算",
    "结算",
    "质保",
]
KINDS = ["管理流程", "审批流程", "办理流程", "处理流程", "作业流程"]
QUALIFIERS = [
    "",
    "华东区",
    "华南区",
    "线上渠道",
    "重点客户",
    "一号工厂",
    "二号工厂",
    "海外业务",
    "备品备件",
    "新产品线",
]
VERBS = ["提交", "登记", "初审", "复核", "审批", "会签", "确认", "执行", "检验", "汇总", "归档", "通知", "跟踪", "评估"]
THINGS = ["申请单", "计划", "方案", "报告", "清单", "合同", "记录", "台账", "凭证", "意见", "结果", "通知单"]
CONDITIONS = ["金额≥10万", "金额<10万", "合格", "不合格", "重大变更", "一般变更", "紧急", "常规"]
REASONS = [
    "审批环节过多，平均周期超出目标",
    "资料流转路径不清晰，多次返工",
    "新系统上线后需调整步骤",
    "岗位调整后责任人变化",
    "审查发现时限设置不合理",
    "客户投诉反映响应慢",
]
EFFECTS = ["周期缩短两天", "返工率下降一半", "责任更加明确", "客户满意度提升"]


def add_arguments(parser) -> None:
    parser.add_argument("--processes", type=int, default=500, help="processes (default 500)")
    parser.add_argument("--change-requests", type=int, default=2000, help="process change requests (default 2000)")


def generate(ctx: dict, options: dict) -> None:
    if Process.objects.filter(code__startswith=CODE_PREFIX).exists():
        raise CommandError("Process scale data is already there: run with --reset to rebuild it.")
    rng, today = ctx["rng"], ctx["today"]
    dept_ids, heads, user_ids = ctx["department_ids"], ctx["heads"], ctx["user_ids"]
    User = get_user_model()
    bench = ctx.get("bench_users", {})
    named = {u.username: u for u in User.objects.filter(username__in=list(bench.values()))}
    manager = named.get(bench.get("manager"))
    manager_dept = manager.department_id if manager else None
    root = Department.objects.filter(parent__isnull=True, head__isnull=False).values_list("head_id", flat=True).first()
    ops_ids = list(User.objects.filter(groups__name=Role.OPS, is_active=True).values_list("pk", flat=True))
    positions: dict[int, list[int]] = {}
    for pid, did in Position.objects.filter(department_id__in=dept_ids).values_list("pk", "department_id"):
        positions.setdefault(did, []).append(pid)

    started = time.perf_counter()
    n = options["processes"]
    procs = []
    for i in range(n):
        dept = manager_dept if manager_dept and i % 8 == 0 else rng.choice(dept_ids)
        name = f"{rng.choice(QUALIFIERS)}{rng.choice(OBJECTS)}{rng.choice(KINDS)}"
        procs.append(
            Process(
                code=f"{CODE_PREFIX}{i + 1:05d}",
                name=name,
                department_id=dept,
                owner_id=heads.get(dept),
                purpose=f"规范{name}，明确职责与资料流转路径。",
                scope="公司相关部门",
                start_trigger="收到申请",
                end_condition="资料归档",
                target_cycle_days=rng.randint(2, 30),
                status=Process.Status.RETIRED if rng.random() < 0.06 else Process.Status.IN_USE,
                next_review_date=today + datetime.timedelta(days=rng.randint(-60, 360)),
            )
        )
    Process.objects.bulk_create(procs, batch_size=1000)
    published = timezone.now() - datetime.timedelta(days=400)
    versions = [
        ProcessVersion(
            process=p,
            number=1,
            effective_date=today - datetime.timedelta(days=400),
            published_at=published,
            summary="初始版本",
        )
        for p in procs
    ]
    ProcessVersion.objects.bulk_create(versions, batch_size=1000)
    for p, v in zip(procs, versions, strict=False):
        p.current_version = v
    Process.objects.bulk_update(procs, ["current_version"], batch_size=1000)

    steps, plans = [], []
    for idx, v in enumerate(versions):
        count = 60 if idx == 1 else rng.randint(4, 14)
        lanes = [procs[idx].department_id] + rng.sample(
            dept_ids, k=min(len(dept_ids), 7 if idx == 1 else rng.randint(1, 4))
        )
        rows = []
        for k in range(count):
            dept = lanes[0] if k == 0 else rng.choice(lanes)
            pos = rng.choice(positions[dept]) if positions.get(dept) and rng.random() < 0.7 else None
            thing = rng.choice(THINGS)
            rows.append(
                ProcessStep(
                    version=v,
                    key=f"s{k + 1}",
                    order=k + 1,
                    name=f"{rng.choice(VERBS)}{thing}",
                    department_id=dept,
                    position_id=pos,
                    description=f"按要求{rng.choice(VERBS)}{thing}。",
                    inputs=rng.choice(THINGS),
                    outputs=thing,
                    time_limit_hours=rng.choice([4, 8, 16, 24, 40]),
                )
            )
        steps.extend(rows)
        plans.append(rows)
    ProcessStep.objects.bulk_create(steps, batch_size=5000)
    links = []
    for rows in plans:
        for k, row in enumerate(rows[:-1]):
            if k + 2 < len(rows) and rng.random() < 0.15:  # a branch that skips one step
                cond = rng.sample(CONDITIONS[:4], 2) if rng.random() < 0.5 else rng.sample(CONDITIONS[4:], 2)
                links.append(StepLink(from_step=row, to_step=rows[k + 1], condition=cond[0]))
                links.append(StepLink(from_step=row, to_step=rows[k + 2], condition=cond[1]))
            else:
                links.append(StepLink(from_step=row, to_step=rows[k + 1]))
    StepLink.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    ctx["timings"].append(
        {
            "name": "processes: processes, versions, steps, links",
            "seconds": time.perf_counter() - started,
            "items": len(procs) + len(steps) + len(links),
        }
    )

    started = time.perf_counter()
    made = _change_requests(rng, options["change_requests"], procs, plans, user_ids, heads, root, ops_ids, manager)
    _reviews(rng, today, procs, user_ids, ops_ids)
    ctx["timings"].append(
        {"name": "processes: change requests with history", "seconds": time.perf_counter() - started, "items": made}
    )
    ctx["stdout"].write(f"  processes: {len(procs)} processes, {len(steps)} steps, {made} change requests")


def _as_dicts(rows, links_by_step):
    return [
        {
            "key": r.key,
            "name": r.name,
            "department_id": r.department_id,
            "position_id": r.position_id,
            "description": r.description,
            "inputs": r.inputs,
            "outputs": r.outputs,
            "time_limit_hours": r.time_limit_hours,
            "next": links_by_step.get(r.pk, []),
        }
        for r in rows
    ]


STATES = [  # (request status, the stage it waits in or the decisions that closed it)
    ("draft", 0.06),
    ("pending_head", 0.16),
    ("pending_ops", 0.12),
    ("pending_gm", 0.06),
    ("returned", 0.08),
    ("approved", 0.34),
    ("rejected", 0.1),
    ("withdrawn", 0.08),
]
HEAD, OPS, GM = 0, 1, 2  # stage indexes of the default flow (apps/processes/approvals.py)
PATHS = {  # the decisions that brought a request to its state: (stage index, operation)
    "draft": [],
    "pending_head": [],
    "pending_ops": [(HEAD, "approve")],
    "pending_gm": [(HEAD, "approve"), (OPS, "approve")],
    "returned": [(HEAD, "approve"), (OPS, "return")],
    "approved": [(HEAD, "approve"), (OPS, "approve")],
    "rejected": [(HEAD, "reject")],
    "withdrawn": [(HEAD, "approve")],
}
STATUS = {
    "draft": S.DRAFT,
    "pending_head": S.PENDING,
    "pending_ops": S.PENDING,
    "pending_gm": S.PENDING,
    "returned": S.RETURNED,
    "approved": S.APPROVED,
    "rejected": S.REJECTED,
    "withdrawn": S.WITHDRAWN,
}
WAITING = {"pending_head": HEAD, "pending_ops": OPS, "pending_gm": GM}


def _change_requests(rng, n, procs, plans, user_ids, heads, gm_id, ops_ids, manager) -> int:
    from apps.approvals import bulk

    links_by_step: dict[int, list] = {}
    key_of = {s.pk: s.key for rows in plans for s in rows}
    for f, t, c in StepLink.objects.filter(from_step_id__in=list(key_of)).values_list(
        "from_step", "to_step", "condition"
    ):
        links_by_step.setdefault(f, []).append({"to": key_of[t], "condition": c})
    states = [s for s, _w in STATES]
    weights = [w for _s, w in STATES]
    now = timezone.now()
    crs, histories = [], []
    live = [i for i, p in enumerate(procs) if p.status == Process.Status.IN_USE]
    manager_procs = [i for i in live if manager and procs[i].department_id == manager.department_id]
    dept_of = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "department_id"))
    for j in range(n):
        state = rng.choices(states, weights)[0]
        # requests waiting for the head lean on the bench manager's processes: a busy inbox
        idx = (
            rng.choice(manager_procs) if state == "pending_head" and manager_procs and j % 2 == 0 else rng.choice(live)
        )
        p, rows = procs[idx], plans[idx]
        proposed = _as_dicts(rows, links_by_step)
        k = rng.randrange(len(proposed))
        proposed[k] = {
            **proposed[k],
            "name": proposed[k]["name"] + "（优化）",
            "time_limit_hours": rng.choice([2, 4, 8]),
        }
        head = heads.get(p.department_id)
        proposer = rng.choice(user_ids)
        while proposer in (head, gm_id):
            proposer = rng.choice(user_ids)
        major = state == "pending_gm" or rng.random() < 0.2
        path = PATHS[state] + ([(GM, "approve")] if state == "approved" and major else [])
        created = now - datetime.timedelta(days=rng.randint(1, 300), hours=rng.randint(0, 23))
        t = created + datetime.timedelta(hours=rng.randint(1, 48))
        decisions = []
        for index, operation in path:
            t = t + datetime.timedelta(hours=rng.randint(2, 120))
            actor = {HEAD: head, OPS: rng.choice(ops_ids) if ops_ids else None, GM: gm_id}[index]
            opinion = {"approve": "同意。", "return": "请补充说明。", "reject": "请补充说明。"}.get(operation, "")
            decisions.append(bulk.Decision(index=index, actor_id=actor, operation=operation, at=t, opinion=opinion))
        waiting_for = []
        if state in WAITING:
            waiting_for = {HEAD: [head], OPS: [o for o in ops_ids[:5] if o != proposer], GM: [gm_id]}[WAITING[state]]
            waiting_for = [a for a in waiting_for if a]
        crs.append(
            ChangeRequest(
                process=p,
                base_version_id=p.current_version_id,
                proposer_id=proposer,
                title=f"{p.name}：{proposed[k]['name']}",
                reason=rng.choice(REASONS),
                expected_effect=rng.choice(EFFECTS),
                urgency=rng.choice(["low", "normal", "normal", "high"]),
                marked_major=major,
                proposed_steps=proposed,
                status=STATUS[state],
                revision=2 if state != "draft" else 1,
                submitted_at=created if state != "draft" else None,
                closed_at=t if state in ("approved", "rejected", "withdrawn") else None,
            )
        )
        histories.append((state, created, decisions, waiting_for, t))
    ChangeRequest.objects.bulk_create(crs, batch_size=500)
    approvals = []
    for cr, (state, created, decisions, waiting_for, t) in zip(crs, histories, strict=True):
        approvals.append(
            bulk.Plan(
                object_id=cr.pk,
                title=cr.title,
                proposer_id=cr.proposer_id,
                department_id=dept_of.get(cr.proposer_id),
                owner_department_id=cr.process.department_id,
                submitted_at=created,
                status={"pending_head": "pending", "pending_ops": "pending", "pending_gm": "pending"}.get(state, state),
                facts={"major": cr.marked_major, "crosses": False},
                decisions=decisions,
                waiting_index=WAITING.get(state),
                waiting_for=waiting_for,
                waiting_since=t,
            )
        )
    bulk.insert("processes.change", approvals)
    # created_at is auto_now_add: set the historical moment afterwards, in one statement per batch
    ChangeRequest.objects.bulk_update(
        [_with_created(cr, h[1]) for cr, h in zip(crs, histories, strict=False)], ["created_at"], batch_size=1000
    )
    return len(crs)


def _with_created(cr, when):
    cr.created_at = when
    return cr


def _reviews(rng, today, procs, user_ids, ops_ids) -> None:
    if not ops_ids:
        return
    sample = rng.sample(procs, k=max(1, len(procs) // 10))
    reviews = [
        ProcessReview(
            process=p,
            reviewer_id=rng.choice(ops_ids),
            reviewed_on=today - datetime.timedelta(days=rng.randint(10, 200)),
            findings="审批环节耗时超出目标；部分资料未按要求归档。",
            next_review_date=p.next_review_date or today,
        )
        for p in sample
    ]
    ProcessReview.objects.bulk_create(reviews, batch_size=1000)
    actions = [
        ImprovementAction(
            review=r,
            description=rng.choice(["修订资料模板", "明确时限", "增加抽检", "组织培训"]),
            owner_id=rng.choice(user_ids),
            due_date=today + datetime.timedelta(days=rng.randint(-30, 90)),
        )
        for r in reviews
        for _ in range(rng.randint(1, 3))
    ]
    ImprovementAction.objects.bulk_create(actions, batch_size=1000)
