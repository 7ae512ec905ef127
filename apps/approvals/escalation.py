"""A stage waiting longer than its limit (working days, counted on the portal's calendar)
reminds its approvers; at twice the limit each waiting task moves to the approver's manager
(the next person up), recorded on the timeline."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.statemachine import transition
from apps.notifications.services import notify_many
from apps.scheduling.calendar import add_working_days

from . import flows
from .machines import TASK
from .models import Event, Request, Stage, Task
from .registry import kind_for
from .services import Context, _ask, _event, _new_task, settle_waiting

S, T, Op = Stage.Status, Task.Status, Event.Operation


def _due(stage: Stage, days: int):
    return add_working_days(timezone.localdate(stage.entered_at), days)


def overdue_run(*, now) -> int:
    today = timezone.localdate(now)
    done = 0
    candidates = Stage.objects.filter(
        status=S.ACTIVE, limit_days__isnull=False, request__status=Request.Status.PENDING
    ).filter(
        # a cheap bound (a working day is at least a calendar day); _one checks the calendar
        escalated_at__isnull=True,
        entered_at__lt=now + timedelta(days=1) - F("limit_days") * timedelta(days=1),
    )
    for stage_id in candidates.values_list("pk", flat=True).order_by("pk"):
        done += _one(stage_id, now=now, today=today)
    return done


@transaction.atomic
def _one(stage_id: int, *, now, today) -> int:
    req = Request.objects.select_for_update().get(stages__pk=stage_id)
    stage = Stage.objects.select_for_update().get(pk=stage_id)
    if stage.status != S.ACTIVE or stage.escalated_at is not None or req.current_stage_id != stage.pk:
        return 0
    ctx = Context(request=req, kind=kind_for(req.kind), actor=None, now=now, today=today)
    pending = list(Task.objects.filter(stage=stage, status=T.PENDING).select_related("assignee"))
    if stage.reminded_at is None and _due(stage, stage.limit_days) <= today:
        Stage.objects.filter(pk=stage.pk).update(reminded_at=now)
        _event(
            ctx, Op.REMIND, stage=stage, opinion=_("Waiting longer than %(n)d working days.") % {"n": stage.limit_days}
        )
        notify_many(
            recipients=[t.assignee for t in pending],
            kind="approvals.reminder",
            title=_("Still waiting for your approval: %(title)s") % {"title": req.title},
            url=req.get_absolute_url(),
            subject=req,
        )
        return 1
    if stage.reminded_at is not None and _due(stage, 2 * stage.limit_days) <= today:
        Stage.objects.filter(pk=stage.pk).update(escalated_at=now)
        moved = []
        for task in pending:
            boss = flows.next_up(task.assignee)
            if boss is None or boss.pk == req.proposer_id:
                continue
            transition(task, machine=TASK, to=T.ESCALATED, expected=T.PENDING, fields={"decided_at": now})
            new = _new_task(ctx, stage, boss, status=T.PENDING, after=task.after, delegate=False)
            Task.objects.filter(after=task).update(after=new)
            _event(
                ctx,
                Op.ESCALATE,
                stage=stage,
                on_behalf_of=task.assignee,
                target=boss,
                opinion=_("Waiting longer than %(n)d working days: passed to %(name)s.")
                % {"n": 2 * stage.limit_days, "name": boss.name},
            )
            moved.append(new)
        if moved:
            Request.objects.filter(pk=req.pk).update(version=F("version") + 1)
            _ask(ctx, moved)
            settle_waiting(req)
        return 1
    return 0
