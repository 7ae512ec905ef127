"""Scale data for the approvals engine: one approver (the bench general manager) with a
large inbox — waiting and finished requests of the first registered kind that has objects —
and one request with a long timeline. The modules' own requests come from their scale.py."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import bulk
from .models import Request
from .registry import kinds

TIMELINE_TITLE = "长时间线审批（基准测试）"


def add_arguments(parser) -> None:
    parser.add_argument("--approvals-waiting", type=int, default=2000, help="requests waiting for bench-gm (2000)")
    parser.add_argument("--approvals-finished", type=int, default=20000, help="requests bench-gm decided (20000)")


def generate(ctx: dict, options: dict) -> None:
    rng = ctx["rng"]
    bench = ctx.get("bench_users", {})
    approver = get_user_model().objects.filter(username=bench.get("gm")).first()
    if approver is None:
        return
    kind, object_ids = None, []
    for spec in kinds().values():
        object_ids = list(spec.model_class()._default_manager.order_by("pk").values_list("pk", flat=True)[:5000])
        if object_ids:
            kind = spec
            break
    if kind is None:
        return
    people = [u for u in ctx["user_ids"] if u != approver.pk]
    dept_of = dict(get_user_model().objects.filter(pk__in=people[:2000]).values_list("pk", "department_id"))
    people = list(dept_of)
    now = timezone.now()
    plans = []
    waiting, finished = options.get("approvals_waiting", 2000), options.get("approvals_finished", 20000)
    for i in range(waiting + finished):
        proposer = rng.choice(people)
        submitted = now - datetime.timedelta(days=rng.randint(1, 400), hours=rng.randint(0, 23))
        decided = submitted + datetime.timedelta(hours=rng.randint(1, 200))
        done = i >= waiting
        plans.append(
            bulk.Plan(
                object_id=object_ids[i % len(object_ids)],
                title=f"审批申请 {i + 1:05d}",
                proposer_id=proposer,
                department_id=dept_of[proposer],
                owner_department_id=dept_of[proposer],
                submitted_at=submitted,
                status=Request.Status.APPROVED if done else Request.Status.PENDING,
                decisions=[bulk.Decision(0, approver.pk, "approve", decided, "同意。")] if done else [],
                waiting_index=None if done else 0,
                waiting_for=[] if done else [approver.pk],
                waiting_since=submitted,
            )
        )
    proposer = people[0]
    start = now - datetime.timedelta(days=20)
    plans.append(
        bulk.Plan(
            object_id=object_ids[0],
            title=TIMELINE_TITLE,
            proposer_id=proposer,
            department_id=dept_of[proposer],
            owner_department_id=dept_of[proposer],
            submitted_at=start,
            status=Request.Status.PENDING,
            decisions=[
                bulk.Decision(
                    0, rng.choice([proposer, approver.pk]), "comment", start + datetime.timedelta(hours=i), f"意见 {i}"
                )
                for i in range(1, 30)
            ],
            waiting_index=0,
            waiting_for=[approver.pk],
            waiting_since=start,
        )
    )
    bulk.insert(kind.code, plans)
    ctx["timings"].append({"name": "approvals: requests", "seconds": 0.0, "items": len(plans)})
