"""Every write of the approvals engine. Keyword-only arguments, one transaction each: the
request row is locked first, the state the actor saw (`seen_version`) is checked, statuses
change only through apps.core.statemachine, the timeline row is written in the same
transaction and notifications are written with it (mailed after commit)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.statemachine import TransitionError, create_in, transition, transition_many
from apps.notifications.services import notify, notify_many, resolve

from . import flows
from .machines import OPEN_TASKS, REQUEST, STAGE, TASK
from .models import Attachment, Delegation, Event, Mode, Request, Stage, Task
from .registry import ApprovalKind, kind_for

R, S, T, Op = Request.Status, Stage.Status, Task.Status, Event.Operation
OPINION_REQUIRED = (Op.REJECT, Op.RETURN)
# Notifications that say "this is waiting for you": resolved for everyone no longer asked.
WAITING_KINDS = ("approvals.task", "approvals.urge", "approvals.reminder")
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


class ApprovalError(TransitionError):
    """A refused operation; str() is the message to show."""


@dataclass
class Context:
    request: Request
    kind: ApprovalKind
    actor: object
    now: object
    today: object
    pending_notes: list = field(default_factory=list)


# --- entry points ----------------------------------------------------------------------------


@transaction.atomic
def submit(*, kind: str, obj, proposer, title: str, today=None, opinion: str = "", files=()) -> Request:
    """Start an approval for `obj`, or resubmit its returned request (a new submission)."""
    spec = _kind(kind)
    now = timezone.now()
    today = today or timezone.localdate()
    existing = Request.objects.select_for_update().filter(kind=kind, object_id=obj.pk).order_by("-pk").first()
    facts = spec.facts(obj)
    owner = spec.owner_department(obj)
    if existing is not None and existing.status == R.PENDING:
        raise ApprovalError(_("This is already in approval."))
    if existing is not None and existing.status in (R.RETURNED, R.DRAFT):
        if existing.proposer_id != proposer.pk:
            raise ApprovalError(_("Only the proposer can resubmit."))
        first = existing.status == R.DRAFT
        transition(
            existing,
            machine=REQUEST,
            to=R.PENDING,
            fields={
                "flow_version": flows.current_version(spec) if first else existing.flow_version,
                "submission": F("submission") + (0 if first else 1),
                "version": F("version") + 1,
                "facts": facts,
                "title": title[:200],
                "owner_department": owner,
                "submitted_at": now,
            },
        )
        existing.refresh_from_db()
        req = existing
        if not first:
            spec.on_resubmitted(obj, req, proposer)
    else:
        req = create_in(
            Request,
            machine=REQUEST,
            kind=kind,
            object_id=obj.pk,
            flow_version=flows.current_version(spec),
            title=title[:200],
            proposer=proposer,
            department=proposer.department,
            owner_department=owner,
            facts=facts,
            submitted_at=now,
        )
    ctx = Context(request=req, kind=spec, actor=proposer, now=now, today=today)
    _event(ctx, Op.SUBMIT, actor=proposer, opinion=opinion, files=files)
    # Resubmitting is what "returned to you" asked for.
    resolve(subject=req, kinds=["approvals.decided"], recipients=[proposer])
    _enter_from(ctx, 0)
    settle_waiting(req)
    return req


@transaction.atomic
def open_draft(*, kind: str, obj, proposer, title: str) -> Request:
    """A request that is still being written: in the proposer's "submitted by me" tab,
    with its timeline from the start; `submit` sends it into the flow."""
    spec = _kind(kind)
    now = timezone.now()
    req = create_in(
        Request,
        machine=REQUEST,
        status=R.DRAFT,
        kind=kind,
        object_id=obj.pk,
        flow_version=flows.current_version(spec),
        title=title[:200],
        proposer=proposer,
        department=proposer.department,
        owner_department=spec.owner_department(obj),
        facts=spec.facts(obj),
        submitted_at=now,
    )
    ctx = Context(request=req, kind=spec, actor=proposer, now=now, today=timezone.localdate())
    _event(ctx, Op.CREATE, actor=proposer)
    return req


@transaction.atomic
def record_edit(*, request: Request, actor, title: str, opinion: str = "") -> None:
    """The proposer changed the object of a draft or returned request (a timeline line)."""
    req = Request.objects.select_for_update().get(pk=request.pk)
    if req.status not in (R.DRAFT, R.RETURNED):
        raise ApprovalError(_("Only a draft or a returned request can be edited."))
    Request.objects.filter(pk=req.pk).update(title=title[:200], version=F("version") + 1)
    ctx = Context(request=req, kind=_kind(req.kind), actor=actor, now=timezone.now(), today=timezone.localdate())
    _event(ctx, Op.EDIT, actor=actor, opinion=opinion)


def request_for(kind: str, object_id: int) -> Request | None:
    return Request.objects.filter(kind=kind, object_id=object_id).order_by("-pk").first()


OPERATIONS = ("approve", "reject", "return", "transfer", "add_before", "add_after", "withdraw", "urge", "comment")


@transaction.atomic
def act(
    *,
    request: Request,
    actor,
    operation: str,
    opinion: str = "",
    seen_version: int | None = None,
    target=None,
    to_stage: int | None = None,
    files=(),
    today=None,
) -> Request:
    """Apply one operation. `seen_version` is the request's version on the actor's page:
    when anything happened since, the operation is refused and nothing is recorded."""
    if operation not in OPERATIONS:
        raise ApprovalError(_("Unknown operation."))
    req = Request.objects.select_for_update(of=("self",)).select_related("proposer").get(pk=request.pk)
    if seen_version is not None and req.version != seen_version and operation not in ("comment", "urge"):
        raise ApprovalError(_conflict_message(req))
    opinion = (opinion or "").strip()
    if operation in OPINION_REQUIRED and not opinion:
        raise ApprovalError(_("Please give your opinion: it is required to return or reject."))
    for f in files:
        if f.size > MAX_ATTACHMENT_BYTES:
            raise ApprovalError(_("An attachment is larger than 20 MB."))
    ctx = Context(
        request=req,
        kind=_kind(req.kind),
        actor=actor,
        now=timezone.now(),
        today=today or timezone.localdate(),
    )
    handler = globals()[f"_do_{operation}"]
    handler(ctx, opinion=opinion, target=target, to_stage=to_stage, files=files)
    Request.objects.filter(pk=req.pk).update(version=F("version") + 1)
    req.refresh_from_db()
    settle_waiting(req)
    return req


def settle_waiting(req: Request) -> int:
    """Tell the truth after every step: "waiting for you" stays only with the people who have
    a task pending on this request now; for everyone else (who decided, whose 或签 task closed,
    who transferred, whose task was escalated or withdrawn) it is resolved."""
    pending = Task.objects.filter(request=req, status=T.PENDING).values_list("assignee_id", flat=True)
    return resolve(subject=req, kinds=WAITING_KINDS, keep=list(pending))


# --- operations --------------------------------------------------------------------------------


def _my_task(ctx: Context) -> Task:
    task = (
        Task.objects.select_for_update(of=("self",))
        .filter(request=ctx.request, stage_id=ctx.request.current_stage_id, assignee=ctx.actor, status=T.PENDING)
        .select_related("stage", "principal")
        .first()
    )
    if ctx.request.status != R.PENDING or task is None:
        raise ApprovalError(_("You have nothing to decide on this request now."))
    return task


def _do_approve(ctx: Context, *, opinion, files, **_kw) -> None:
    task = _my_task(ctx)
    stage = task.stage
    _set_task(task, T.APPROVED, ctx)
    _event(ctx, Op.APPROVE, stage=stage, actor=ctx.actor, on_behalf_of=task.principal, opinion=opinion, files=files)
    # Tasks waiting for this one (依次 order, 加签 after) come next.
    waiting = list(Task.objects.filter(after=task, status=T.QUEUED).select_related("assignee"))
    if stage.mode == Mode.ANY:
        # 或签: one approval decides the stage; the others' tasks close (except those added after me).
        keep = {t.pk for t in waiting}
        transition_many(
            Task.objects.filter(stage=stage).exclude(pk__in=keep | {task.pk}),
            machine=TASK,
            to=T.CANCELLED,
            expected=OPEN_TASKS,
            fields={"decided_at": ctx.now},
        )
    for t in waiting:
        transition(t, machine=TASK, to=T.PENDING, expected=T.QUEUED, fields={"created_at": ctx.now})
        _ask(ctx, [t])
    if not Task.objects.filter(stage=stage, status__in=OPEN_TASKS).exists():
        transition(stage, machine=STAGE, to=S.APPROVED, expected=S.ACTIVE, fields={"decided_at": ctx.now})
        _enter_from(ctx, stage.index + 1)


def _close_stage(ctx: Context, stage: Stage, to: str) -> None:
    transition_many(
        Task.objects.filter(stage=stage),
        machine=TASK,
        to=T.CANCELLED,
        expected=OPEN_TASKS,
        fields={"decided_at": ctx.now},
    )
    transition(stage, machine=STAGE, to=to, expected=S.ACTIVE, fields={"decided_at": ctx.now})


def _do_reject(ctx: Context, *, opinion, files, **_kw) -> None:
    task = _my_task(ctx)
    _set_task(task, T.REJECTED, ctx)
    _event(ctx, Op.REJECT, stage=task.stage, actor=ctx.actor, on_behalf_of=task.principal, opinion=opinion, files=files)
    _close_stage(ctx, task.stage, S.REJECTED)
    _finish(ctx, R.REJECTED, ctx.kind.on_rejected)
    _tell_proposer(ctx, _("Rejected: %(title)s"), opinion)


def _do_return(ctx: Context, *, opinion, files, to_stage=None, **_kw) -> None:
    task = _my_task(ctx)
    stage = task.stage
    if to_stage is not None and not (0 <= to_stage < stage.index):
        raise ApprovalError(_("A request can only be returned to an earlier stage."))
    _set_task(task, T.RETURNED, ctx)
    event = _event(
        ctx, Op.RETURN, stage=stage, actor=ctx.actor, on_behalf_of=task.principal, opinion=opinion, files=files
    )
    _close_stage(ctx, stage, S.RETURNED)
    if to_stage is None:
        _finish(ctx, R.RETURNED, ctx.kind.on_returned)
        _tell_proposer(ctx, _("Returned to you: %(title)s"), opinion)
        return
    # The approvals from that stage on no longer count (they approved what is now being redone).
    earlier = Stage.objects.filter(
        request=ctx.request, submission=ctx.request.submission, index__gte=to_stage, status__in=(S.APPROVED, S.SKIPPED)
    )
    transition_many(earlier, machine=STAGE, to=S.RETURNED, expected=(S.APPROVED, S.SKIPPED))
    target_name = ctx.request.flow_version.stages[to_stage]["name"]
    Event.objects.filter(pk=event.pk).update(opinion=f"{opinion}\n→ {target_name}")
    _enter_from(ctx, to_stage)


def _check_target(ctx: Context, target) -> None:
    if target is None or not target.is_active:
        raise ApprovalError(_("Choose an active person."))
    if target.pk == ctx.request.proposer_id:
        raise ApprovalError(_("Nobody approves their own request: choose someone else."))
    if target.pk == ctx.actor.pk:
        raise ApprovalError(_("Choose someone other than yourself."))


def _do_transfer(ctx: Context, *, opinion, files, target=None, **_kw) -> None:
    task = _my_task(ctx)
    _check_target(ctx, target)
    _set_task(task, T.TRANSFERRED, ctx)
    new = _new_task(ctx, task.stage, target, status=T.PENDING, after=None)
    Task.objects.filter(after=task).update(after=new)
    _event(
        ctx,
        Op.TRANSFER,
        stage=task.stage,
        actor=ctx.actor,
        on_behalf_of=task.principal,
        target=target,
        opinion=opinion,
        files=files,
    )
    _ask(ctx, [new])


def _do_add_before(ctx: Context, *, opinion, files, target=None, **_kw) -> None:
    task = _my_task(ctx)
    _check_target(ctx, target)
    new = _new_task(ctx, task.stage, target, status=T.PENDING, after=task.after)
    # I decide after the person I added.
    transition(task, machine=TASK, to=T.QUEUED, expected=T.PENDING, fields={"after": new})
    _event(ctx, Op.ADD_BEFORE, stage=task.stage, actor=ctx.actor, target=target, opinion=opinion, files=files)
    _ask(ctx, [new])


def _do_add_after(ctx: Context, *, opinion, files, target=None, **_kw) -> None:
    task = _my_task(ctx)
    _check_target(ctx, target)
    followers = list(Task.objects.filter(after=task).values_list("pk", flat=True))
    new = _new_task(ctx, task.stage, target, status=T.QUEUED, after=task)
    Task.objects.filter(pk__in=followers).update(after=new)
    _event(ctx, Op.ADD_AFTER, stage=task.stage, actor=ctx.actor, target=target, opinion=opinion, files=files)


def _do_withdraw(ctx: Context, *, opinion, files, **_kw) -> None:
    req = ctx.request
    if ctx.actor.pk != req.proposer_id:
        raise ApprovalError(_("Only the proposer can withdraw a request."))
    if req.status not in (R.DRAFT, R.PENDING, R.RETURNED):
        raise ApprovalError(_("A decided request cannot be withdrawn."))
    stage = _current_stage(ctx)
    if stage is not None and stage.status == S.ACTIVE:
        _close_stage(ctx, stage, S.CANCELLED)
    _event(ctx, Op.WITHDRAW, stage=stage, actor=ctx.actor, opinion=opinion, files=files)
    _finish(ctx, R.WITHDRAWN, ctx.kind.on_withdrawn)


def _do_urge(ctx: Context, *, opinion, files, **_kw) -> None:
    req = ctx.request
    if ctx.actor.pk != req.proposer_id:
        raise ApprovalError(_("Only the proposer can urge."))
    stage = _current_stage(ctx)
    if req.status != R.PENDING or stage is None:
        raise ApprovalError(_("Nothing is waiting to be urged."))
    if stage.urged_on == ctx.today:
        raise ApprovalError(_("This stage was already urged today; you can urge again tomorrow."))
    Stage.objects.filter(pk=stage.pk).update(urged_on=ctx.today)
    _event(ctx, Op.URGE, stage=stage, actor=ctx.actor, opinion=opinion, files=files)
    people = [t.assignee for t in Task.objects.filter(stage=stage, status=T.PENDING).select_related("assignee")]
    notify_many(
        recipients=people,
        kind="approvals.urge",
        title=_("Urged: %(title)s is waiting for your decision") % {"title": req.title},
        body=opinion,
        url=req.get_absolute_url(),
        subject=req,
    )


def _do_comment(ctx: Context, *, opinion, files, **_kw) -> None:
    if not opinion and not files:
        raise ApprovalError(_("Write a comment or attach a file."))
    _event(ctx, Op.COMMENT, stage=_current_stage(ctx), actor=ctx.actor, opinion=opinion, files=files)


# --- the walk through the flow -------------------------------------------------------------------


def _enter_from(ctx: Context, index: int) -> None:
    """Start the first stage from `index` on that applies and has someone to decide;
    record what is skipped; finish when the flow is done."""
    req = ctx.request
    stages = req.flow_version.stages
    done = _approved_this_submission(req)
    for i in range(index, len(stages)):
        spec = stages[i]
        if not flows.applies(spec, req.facts):
            continue
        stage = create_in(
            Stage,
            machine=STAGE,
            request=req,
            submission=req.submission,
            index=i,
            key=spec["key"],
            name=spec["name"],
            mode=spec["mode"],
            limit_days=spec.get("limit_days"),
            entered_at=ctx.now,
        )
        found = flows.resolve(
            spec, proposer=req.proposer, department=req.department, owner_department=req.owner_department
        )
        for original, replacement in found.substituted:
            note = (
                _("%(name)s is the proposer; nobody approves their own request, so %(next)s decides instead.")
                % {"name": original.name, "next": replacement.name}
                if replacement
                else _("%(name)s is the proposer and there is nobody above; the approver is left out.")
                % {"name": original.name}
            )
            _event(ctx, Op.SUBSTITUTE, stage=stage, target=replacement, on_behalf_of=original, opinion=note)
        if spec["mode"] == Mode.COPY:
            tasks = [
                _new_task(ctx, stage, person, status=T.COPY, after=None, delegate=False) for person in found.approvers
            ]
            transition(stage, machine=STAGE, to=S.APPROVED, fields={"decided_at": ctx.now})
            if tasks:
                _event(ctx, Op.COPY, stage=stage, opinion="、".join(t.assignee.name for t in tasks))
                notify_many(
                    recipients=[t.assignee for t in tasks],
                    kind="approvals.copy",
                    title=_("For your information: %(title)s") % {"title": req.title},
                    url=req.get_absolute_url(),
                    subject=req,
                )
            continue
        people = []
        for person in found.approvers:
            if person.pk in done:
                _event(
                    ctx,
                    Op.SKIP,
                    stage=stage,
                    target=person,
                    opinion=_("%(name)s already approved this submission.") % {"name": person.name},
                )
            else:
                people.append(person)
        if spec["mode"] == Mode.ANY and len(people) < len(found.approvers):
            people = []  # one approval decides 或签, and one of them already approved
        if not people:
            if not found.approvers:
                _event(ctx, Op.SKIP, stage=stage, opinion=_("Nobody is set to approve this stage."))
            transition(stage, machine=STAGE, to=S.SKIPPED, fields={"decided_at": ctx.now})
            continue
        previous = None
        tasks = []
        for person in people:
            if spec["mode"] == Mode.SEQUENTIAL:
                previous = _new_task(ctx, stage, person, status=T.QUEUED if previous else T.PENDING, after=previous)
                tasks.append(previous)
            else:
                tasks.append(_new_task(ctx, stage, person, status=T.PENDING, after=None))
        Request.objects.filter(pk=req.pk).update(current_stage=stage)
        req.current_stage = stage
        _ask(ctx, [t for t in tasks if t.status == T.PENDING])
        return
    Request.objects.filter(pk=req.pk).update(current_stage=None)
    req.current_stage = None
    _event(ctx, Op.FINISH, actor=None, opinion="")
    _finish(ctx, R.APPROVED, ctx.kind.on_approved)
    _tell_proposer(ctx, _("Approved: %(title)s"), "")


def _finish(ctx: Context, status: str, callback) -> None:
    req = ctx.request
    fields = {"current_stage": None} if status == R.RETURNED else {"closed_at": ctx.now}
    transition(req, machine=REQUEST, to=status, fields=fields)
    callback(ctx.kind.get_object(req.object_id), req, ctx.actor)


def _approved_this_submission(req: Request) -> set[int]:
    """Who approved a still valid stage of this submission (as approver or as the one a
    delegate stood in for)."""
    ids = set()
    rows = Task.objects.filter(
        request=req, stage__submission=req.submission, stage__status__in=(S.APPROVED, S.ACTIVE), status=T.APPROVED
    ).values_list("assignee_id", "principal_id")
    for a, p in rows:
        ids.update(x for x in (a, p) if x)
    return ids


def _active_delegate(principal, *, kind: str, today):
    d = (
        Delegation.objects.filter(
            principal=principal,
            start_date__lte=today,
            end_date__gte=today,
            cancelled_at__isnull=True,
            delegate__is_active=True,
        )
        .filter(kind__in=("", kind))
        .select_related("delegate")
        .order_by("-created_at")
        .first()
    )
    return d.delegate if d else None


def _new_task(ctx: Context, stage: Stage, person, *, status, after, delegate: bool = True) -> Task:
    principal = None
    if delegate:
        stand_in = _active_delegate(person, kind=ctx.request.kind, today=ctx.today)
        if stand_in is not None and stand_in.pk not in (ctx.request.proposer_id, person.pk):
            principal, person = person, stand_in
    return create_in(
        Task,
        machine=TASK,
        status=status,
        request=ctx.request,
        stage=stage,
        assignee=person,
        principal=principal,
        after=after,
        created_at=ctx.now,
    )


def _set_task(task: Task, to: str, ctx: Context) -> None:
    try:
        transition(task, machine=TASK, to=to, expected=T.PENDING, fields={"decided_at": ctx.now})
    except TransitionError:
        raise ApprovalError(_conflict_message(ctx.request)) from None


def _ask(ctx: Context, tasks: list[Task]) -> None:
    req = ctx.request
    for t in tasks:
        body = ""
        if t.principal_id:
            body = _("On behalf of %(name)s (delegation).") % {"name": t.principal.name}
        notify(
            recipient=t.assignee,
            kind="approvals.task",
            title=_("Waiting for your approval: %(title)s") % {"title": req.title},
            body=body,
            url=req.get_absolute_url(),
            subject=req,
        )


def _tell_proposer(ctx: Context, title: str, body: str) -> None:
    req = ctx.request
    notify(
        recipient=req.proposer,
        kind="approvals.decided",
        title=title % {"title": req.title},
        body=body,
        url=req.get_absolute_url(),
        subject=req,
    )


def _current_stage(ctx: Context) -> Stage | None:
    if ctx.request.current_stage_id is None:
        return None
    return Stage.objects.select_for_update().get(pk=ctx.request.current_stage_id)


def _event(ctx: Context, operation, *, stage=None, actor=None, on_behalf_of=None, target=None, opinion="", files=()):
    event = Event.objects.create(
        request=ctx.request,
        stage=stage,
        stage_name=stage.name if stage else "",
        submission=ctx.request.submission,
        operation=operation,
        actor=actor,
        on_behalf_of=on_behalf_of,
        target=target,
        opinion=opinion,
        stage_started_at=stage.entered_at if stage else None,
        created_at=ctx.now,
    )
    for f in files:
        name = getattr(f, "name", "file")[:200]
        Attachment.objects.create(event=event, file=f, name=name, size=getattr(f, "size", 0) or 0)
    return event


def _conflict_message(req: Request) -> str:
    last = (
        req.events.filter(actor__isnull=False)
        .exclude(operation__in=(Op.COMMENT, Op.URGE))
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    who = last.actor.name if last and last.actor else _("someone else")
    what = last.get_operation_display() if last else ""
    return _(
        "This request changed meanwhile (%(what)s by %(who)s); it is now “%(status)s”. "
        "Your decision was not recorded: reload the page."
    ) % {"what": what, "who": who, "status": req.get_status_display()}


def _kind(code: str) -> ApprovalKind:
    spec = kind_for(code)
    if spec is None:
        raise ApprovalError(_("Unknown kind of request."))
    return spec


# --- delegation ----------------------------------------------------------------------------------


@transaction.atomic
def delegation_create(*, principal, delegate, start_date, end_date, kind: str = "", note: str = "") -> Delegation:
    from django.core.exceptions import ValidationError

    if delegate.pk == principal.pk:
        raise ValidationError(_("You cannot delegate to yourself."))
    if end_date < start_date:
        raise ValidationError(_("The end date is before the start date."))
    if kind and kind_for(kind) is None:
        raise ValidationError(_("Unknown kind of request."))
    d = Delegation.objects.create(
        principal=principal, delegate=delegate, start_date=start_date, end_date=end_date, kind=kind, note=note
    )
    notify(
        recipient=delegate,
        kind="approvals.delegation",
        title=_("%(name)s delegated approvals to you from %(start)s to %(end)s")
        % {"name": principal.name, "start": start_date, "end": end_date},
        body=note,
    )
    return d


@transaction.atomic
def delegation_cancel(*, delegation: Delegation, user) -> None:
    if delegation.principal_id != user.pk:
        raise ApprovalError(_("Only the person who delegated can cancel."))
    Delegation.objects.filter(pk=delegation.pk, cancelled_at__isnull=True).update(cancelled_at=timezone.now())
