"""Inserting many requests with their history at once, for generated data (scale.py of the
modules, the bench): rows are written in the state their history leads to, as a migration
would, with a constant number of statements for any number of requests."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from . import flows
from .models import Event, Request, Stage, Task
from .registry import kind_for

R, S, T, Op = Request.Status, Stage.Status, Task.Status, Event.Operation


@dataclass
class Decision:
    index: int  # stage index in the flow version
    actor_id: int | None
    operation: str  # approve, reject, return, skip, withdraw, comment
    at: datetime.datetime
    opinion: str = ""


@dataclass
class Plan:
    object_id: int
    title: str
    proposer_id: int
    department_id: int | None
    owner_department_id: int | None
    submitted_at: datetime.datetime
    status: str
    facts: dict = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    waiting_index: int | None = None  # the stage it waits in (status pending)
    waiting_for: list[int] = field(default_factory=list)  # assignee ids of that stage
    waiting_since: datetime.datetime | None = None


_TASK_OF = {"approve": T.APPROVED, "reject": T.REJECTED, "return": T.RETURNED}
_STAGE_OF = {"approve": S.APPROVED, "reject": S.REJECTED, "return": S.RETURNED, "skip": S.SKIPPED}


def insert(kind: str, plans: list[Plan], *, batch_size: int = 2000) -> list[Request]:
    version = flows.current_version(kind_for(kind))
    specs = version.stages
    requests = [
        Request(
            kind=kind,
            object_id=p.object_id,
            flow_version=version,
            title=p.title[:200],
            proposer_id=p.proposer_id,
            department_id=p.department_id,
            owner_department_id=p.owner_department_id,
            facts=p.facts,
            status=p.status,
            submitted_at=p.submitted_at,
            closed_at=p.decisions[-1].at if p.status in (R.APPROVED, R.REJECTED, R.WITHDRAWN) and p.decisions else None,
        )
        for p in plans
    ]
    Request.objects.bulk_create(requests, batch_size=batch_size)
    stages, stage_plans = [], []
    for req, p in zip(requests, plans, strict=True):
        for d in p.decisions:
            if d.operation in _STAGE_OF:
                spec = specs[min(d.index, len(specs) - 1)]
                stages.append(
                    Stage(
                        request=req,
                        submission=1,
                        index=d.index,
                        key=spec["key"],
                        name=spec["name"],
                        mode=spec["mode"],
                        limit_days=spec.get("limit_days"),
                        status=_STAGE_OF[d.operation],
                        entered_at=d.at - datetime.timedelta(hours=6),
                        decided_at=d.at,
                    )
                )
                stage_plans.append((req, d))
        if p.waiting_index is not None:
            spec = specs[min(p.waiting_index, len(specs) - 1)]
            stages.append(
                Stage(
                    request=req,
                    submission=1,
                    index=p.waiting_index,
                    key=spec["key"],
                    name=spec["name"],
                    mode=spec["mode"],
                    limit_days=spec.get("limit_days"),
                    status=S.ACTIVE,
                    entered_at=p.waiting_since or timezone.now(),
                )
            )
            stage_plans.append((req, p))
    Stage.objects.bulk_create(stages, batch_size=batch_size)
    tasks, events, current = [], [], []
    for req, p in zip(requests, plans, strict=True):
        events.append(
            Event(request=req, operation=Op.SUBMIT, actor_id=p.proposer_id, created_at=p.submitted_at, submission=1)
        )
        events.extend(
            Event(request=req, operation=Op.COMMENT, actor_id=d.actor_id, opinion=d.opinion, created_at=d.at)
            for d in p.decisions
            if d.operation == "comment"
        )
    for stage, (req, item) in zip(stages, stage_plans, strict=True):
        if isinstance(item, Decision):
            if item.operation != "skip" and item.actor_id:
                tasks.append(
                    Task(
                        request=req,
                        stage=stage,
                        assignee_id=item.actor_id,
                        status=_TASK_OF[item.operation],
                        created_at=stage.entered_at,
                        decided_at=item.at,
                    )
                )
            events.append(
                Event(
                    request=req,
                    stage=stage,
                    stage_name=stage.name,
                    operation=item.operation,
                    actor_id=item.actor_id if item.operation != "skip" else None,
                    opinion=item.opinion,
                    stage_started_at=stage.entered_at,
                    created_at=item.at,
                )
            )
        else:
            req.current_stage = stage
            current.append(req)
            tasks.extend(
                Task(request=req, stage=stage, assignee_id=a, status=T.PENDING, created_at=stage.entered_at)
                for a in item.waiting_for
            )
    for req, p in zip(requests, plans, strict=True):
        last = p.decisions[-1].at if p.decisions else p.submitted_at
        if p.status == R.APPROVED:
            events.append(Event(request=req, operation=Op.FINISH, created_at=last))
        elif p.status == R.WITHDRAWN:
            events.append(Event(request=req, operation=Op.WITHDRAW, actor_id=p.proposer_id, created_at=last))
    Task.objects.bulk_create(tasks, batch_size=batch_size)
    Event.objects.bulk_create(events, batch_size=batch_size)
    Request.objects.bulk_update(current, ["current_stage"], batch_size=batch_size)
    return requests


def retime(request: Request, *, start: datetime.datetime, end: datetime.datetime) -> None:
    """Move a request's history (made within seconds by a demo) to evenly spaced moments
    between `start` and `end`: each distinct moment is one operation."""
    events = list(Event.objects.filter(request=request).order_by("created_at", "pk"))
    moments = sorted({e.created_at for e in events})
    if not moments:
        return
    step = (end - start) / (len(moments) + 1)
    new = {m: start + step * i for i, m in enumerate(moments)}

    def moved(value):
        return new.get(value, value) if value else value

    for e in events:
        e.created_at, e.stage_started_at = moved(e.created_at), moved(e.stage_started_at)
    Event.objects.bulk_update(events, ["created_at", "stage_started_at"])
    stages = list(Stage.objects.filter(request=request))
    for st in stages:
        st.entered_at, st.decided_at = moved(st.entered_at), moved(st.decided_at)
    Stage.objects.bulk_update(stages, ["entered_at", "decided_at"])
    tasks = list(Task.objects.filter(request=request))
    for t in tasks:
        t.created_at, t.decided_at = moved(t.created_at), moved(t.decided_at)
    Task.objects.bulk_update(tasks, ["created_at", "decided_at"])
    Request.objects.filter(pk=request.pk).update(
        submitted_at=moved(request.submitted_at), closed_at=moved(request.closed_at)
    )
