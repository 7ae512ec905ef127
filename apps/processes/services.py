"""Every write of the process module. Keyword-only arguments, one transaction each; the
history line and the notifications are written in the same transaction."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import Role
from apps.notifications.services import notify, notify_many
from apps.search.services import index_now

from . import steps as steplib
from . import workflow as wf
from .models import (
    ChangeRequest,
    ChangeRequestEvent,
    Delegation,
    ImprovementAction,
    Process,
    ProcessReview,
    ProcessVersion,
)

S = ChangeRequest.Status
E = ChangeRequestEvent.Action


class WorkflowError(Exception):
    """A refused transition; str() is the message to show."""


class NotAllowed(WorkflowError):
    pass


class AlreadyDecided(WorkflowError):
    pass


class StaleDecision(WorkflowError):
    pass


# --- processes -----------------------------------------------------------------------------

PROCESS_FIELDS = (
    "code",
    "name",
    "department",
    "owner",
    "purpose",
    "scope",
    "start_trigger",
    "end_condition",
    "target_cycle_days",
    "status",
    "next_review_date",
)


@transaction.atomic
def process_save(*, process: Process | None = None, **data) -> Process:
    process = process or Process()
    for name in PROCESS_FIELDS:
        if name in data:
            setattr(process, name, data[name])
    process.full_clean(exclude=["current_version"])
    process.save()
    index_now(source="processes", owner_ids=[process.pk])
    return process


@transaction.atomic
def version_publish(
    *,
    process: Process,
    steps: list[dict],
    user,
    effective_date,
    summary: str = "",
    change_request: ChangeRequest | None = None,
) -> ProcessVersion:
    """A new immutable version with its steps and links; becomes current."""
    validate_steps(steps)
    locked = Process.objects.select_for_update().get(pk=process.pk)
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ProcessVersion.objects.create(
        process=locked,
        number=number,
        effective_date=effective_date,
        published_by=user,
        published_at=timezone.now(),
        summary=summary[:300],
        change_request=change_request,
    )
    steplib.materialise(version, steps)
    locked.current_version = version
    locked.save(update_fields=["current_version", "updated_at"])
    process.current_version = version
    index_now(source="processes", owner_ids=[process.pk])  # the steps in use are what is found
    return version


def validate_steps(steps: list[dict]) -> None:
    if not steps:
        raise ValidationError(_("A process needs at least one step."))
    keys = [s["key"] for s in steps]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("Two steps share the same key."))
    for s in steps:
        if not s.get("name") or not s.get("department_id"):
            raise ValidationError(_("Every step needs a name and a responsible department."))
        for n in s.get("next", []):
            if n["to"] not in keys:
                raise ValidationError(_("Step “%(name)s” points to a step that does not exist.") % {"name": s["name"]})
    unreachable = steplib.unreachable(steps)
    if unreachable:
        raise ValidationError(
            _("No step leads to “%(name)s”: link an earlier step to it.") % {"name": unreachable[0]["name"]}
        )


@transaction.atomic
def process_articles_set(*, process: Process, policy, node_ids: set[int]) -> None:
    """Replace the process's links to `policy` (any of its versions) by `node_ids`."""
    current = set(process.articles.filter(version__policy=policy).values_list("pk", flat=True))
    if current - node_ids:
        process.articles.remove(*(current - node_ids))
    if node_ids - current:
        process.articles.add(*(node_ids - current))


# --- change requests -------------------------------------------------------------------------


def _touches_other_departments(cr: ChangeRequest) -> bool:
    base = steplib.version_steps(cr.process.current_version)
    changes = steplib.diff_steps(base, cr.proposed_steps)
    owner = cr.process.department_id
    return any(c.kind != "same" and (c.department_ids - {owner}) for c in changes)


def _event(
    cr: ChangeRequest, *, action: str, actor, from_status: str, comment: str = "", on_behalf_of=None, now=None
) -> ChangeRequestEvent:
    return ChangeRequestEvent.objects.create(
        request=cr,
        actor=actor,
        on_behalf_of=on_behalf_of,
        action=action,
        from_status=from_status,
        to_status=cr.status,
        comment=comment,
        revision=cr.revision,
        stage_started_at=cr.stage_entered_at,
        created_at=now or timezone.now(),
    )


@transaction.atomic
def change_request_create(
    *,
    process: Process,
    proposer,
    title: str,
    reason: str,
    expected_effect: str = "",
    urgency: str = ChangeRequest.Urgency.NORMAL,
    marked_major: bool = False,
    steps: list[dict],
) -> ChangeRequest:
    if process.status != Process.Status.IN_USE:
        raise WorkflowError(_("A retired process cannot be changed."))
    validate_steps(steps)
    cr = ChangeRequest(
        process=process,
        base_version=process.current_version,
        proposer=proposer,
        title=title,
        reason=reason,
        expected_effect=expected_effect,
        urgency=urgency,
        marked_major=marked_major,
        proposed_steps=steps,
        stage_entered_at=timezone.now(),
    )
    cr.touches_other_departments = _touches_other_departments(cr)
    cr.save()
    _event(cr, action=E.CREATE, actor=proposer, from_status="")
    return cr


@transaction.atomic
def change_request_update(*, cr: ChangeRequest, user, expected_revision: int, **data) -> ChangeRequest:
    cr = ChangeRequest.objects.select_for_update(of=("self",)).select_related("process__current_version").get(pk=cr.pk)
    if user.pk != cr.proposer_id or cr.status not in (S.DRAFT, S.RETURNED):
        raise NotAllowed(_("Only the proposer can edit a draft or a returned request."))
    if cr.revision != expected_revision:
        raise StaleDecision(_("This request was changed meanwhile; reload it and make your edits again."))
    if "steps" in data:
        validate_steps(data["steps"])
        cr.proposed_steps = data.pop("steps")
    for name in ("title", "reason", "expected_effect", "urgency", "marked_major"):
        if name in data:
            setattr(cr, name, data[name])
    # Editing rebases the proposal on the version that is current now.
    cr.base_version = cr.process.current_version
    cr.touches_other_departments = _touches_other_departments(cr)
    cr.revision += 1
    cr.save()
    _event(cr, action=E.EDIT, actor=user, from_status=cr.status)
    return cr


def _approved_this_round(cr: ChangeRequest) -> set[int]:
    ids = set()
    for actor, behalf in cr.events.filter(revision=cr.revision, action=E.APPROVE).values_list("actor", "on_behalf_of"):
        ids.update(i for i in (actor, behalf) if i)
    return ids


def _enter_next_stage(cr: ChangeRequest, *, actor, today, now, restart: bool = False) -> None:
    """Move to the first stage after the current one (the first stage when `restart`) that
    someone has to decide; record skipped stages; publish when the chain is done."""
    stages = wf.chain(cr)
    start = 0 if restart or cr.status not in stages else stages.index(cr.status) + 1
    done = _approved_this_round(cr)
    ops_done = bool(done) and get_user_model().objects.filter(pk__in=done, groups__name=Role.OPS).exists()
    for stage in stages[start:]:
        approver = wf.stage_approver(cr, stage)
        reason = ""
        if stage == S.PENDING_OPS:
            if ops_done:
                reason = _("Already approved by a member of operations management in this round.")
        elif approver is None:
            reason = _("No approver is set for this stage.")
        elif approver.pk == cr.proposer_id:
            reason = _("The proposer is the approver of this stage; nobody approves their own request.")
        elif approver.pk in done:
            reason = _("%(name)s already approved this request in this round.") % {"name": approver.name}
        cr.status = stage
        if reason:
            cr.stage_entered_at = now
            _event(cr, action=E.SKIP, actor=None, on_behalf_of=approver, from_status=stage, comment=reason, now=now)
            continue
        delegate = wf.active_delegate(approver, today)
        if delegate is not None and delegate.pk != cr.proposer_id and delegate.pk != getattr(approver, "pk", None):
            cr.assignee, cr.assignee_principal = delegate, approver
        else:
            cr.assignee, cr.assignee_principal = approver, None
        cr.stage_entered_at = now
        cr.save()
        _notify_stage(cr)
        return
    _publish(cr, actor=actor, today=today, now=now)


def _notify_stage(cr: ChangeRequest) -> None:
    title = _("Process change awaiting your decision: %(title)s") % {"title": cr.title}
    url = cr.get_absolute_url()
    if cr.status == S.PENDING_OPS:
        pool = get_user_model().objects.filter(groups__name=Role.OPS, is_active=True).exclude(pk=cr.proposer_id)
        notify_many(recipients=list(pool), kind="processes.approval_required", title=title, url=url)
    elif cr.assignee is not None:
        body = ""
        if cr.assignee_principal is not None:
            body = _("On behalf of %(name)s (delegation).") % {"name": cr.assignee_principal.name}
        notify(recipient=cr.assignee, kind="processes.approval_required", title=title, body=body, url=url)


def _publish(cr: ChangeRequest, *, actor, today, now) -> None:
    process = Process.objects.select_for_update().get(pk=cr.process_id)
    if process.current_version_id != cr.base_version_id:
        raise StaleDecision(
            _(
                "Another change to this process was published after this request was written; "
                "return it so the proposer can check the steps against the current version."
            )
        )
    previous = cr.status
    version_publish(
        process=process, steps=cr.proposed_steps, user=actor, effective_date=today, summary=cr.title, change_request=cr
    )
    cr.status = S.APPROVED
    cr.assignee = cr.assignee_principal = None
    cr.closed_at = now
    cr.save()
    _event(
        cr,
        action=E.PUBLISH,
        actor=actor,
        from_status=previous,
        now=now,
        comment=_("Version %(n)d published.") % {"n": process.current_version.number},
    )
    head = wf.department_head(process.department)
    title = _("Process change approved and published: %(title)s") % {"title": cr.title}
    recipients = {cr.proposer_id: cr.proposer}
    if head is not None:
        recipients.setdefault(head.pk, head)
    for user in recipients.values():
        notify(recipient=user, kind="processes.published", title=title, url=process.get_absolute_url())


def _conflict_message(cr: ChangeRequest) -> str:
    last = cr.events.exclude(action=E.SKIP).select_related("actor").order_by("-created_at", "-pk").first()
    who = last.actor.name if last and last.actor else _("someone else")
    return _(
        "This request was already decided meanwhile (%(action)s by %(who)s); it is now “%(status)s”. "
        "Your decision was not recorded."
    ) % {"action": last.get_action_display() if last else "", "who": who, "status": cr.get_status_display()}


@transaction.atomic
def change_request_transition(
    *,
    cr: ChangeRequest,
    user,
    action: str,
    comment: str = "",
    expected_revision: int | None = None,
    expected_status: str | None = None,
    today=None,
) -> ChangeRequest:
    """Apply `action` per the transition table. The row is locked, so of two people
    deciding at once one decides and the other gets AlreadyDecided."""
    now = timezone.now()
    today = today or timezone.localdate()
    cr = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("process__department", "process__current_version", "proposer")
        .get(pk=cr.pk)
    )
    if expected_status is not None and cr.status != expected_status:
        raise AlreadyDecided(_conflict_message(cr))
    if expected_revision is not None and cr.revision != expected_revision:
        raise StaleDecision(
            _(
                "This request was resubmitted (revision %(n)d) after you opened it; "
                "read the new version before deciding."
            )
            % {"n": cr.revision}
        )
    rule = wf.TRANSITIONS.get((cr.status, action))
    if rule is None:
        raise NotAllowed(
            _("“%(action)s” is not possible while the request is “%(status)s”.")
            % {"action": wf.ACTION_LABELS.get(action, action), "status": cr.get_status_display()}
        )
    if rule.who == wf.PROPOSER and user.pk != cr.proposer_id:
        raise NotAllowed(_("Only the proposer can do this."))
    if rule.who == wf.APPROVER:
        if user.pk == cr.proposer_id:
            raise NotAllowed(_("Nobody approves their own request."))
        if not wf.may_decide(cr, user):
            raise NotAllowed(_("You are not the approver of this stage."))
        if action in (wf.A_REJECT, wf.A_RETURN) and not comment.strip():
            raise NotAllowed(_("Please give a reason in the comment."))
    on_behalf = cr.assignee_principal if (cr.assignee_principal_id and user.pk == cr.assignee_id) else None
    previous = cr.status
    if action == wf.A_SUBMIT:
        if not cr.proposed_steps:
            raise NotAllowed(_("Add the proposed steps before submitting."))
        cr.revision += 1
        cr.submitted_at = now
        cr.touches_other_departments = _touches_other_departments(cr)
        event = _event(cr, action=E.SUBMIT, actor=user, from_status=previous, comment=comment, now=now)
        _enter_next_stage(cr, actor=user, today=today, now=now, restart=True)
        ChangeRequestEvent.objects.filter(pk=event.pk).update(to_status=cr.status)
    elif action == wf.A_APPROVE:
        event = _event(
            cr, action=E.APPROVE, actor=user, on_behalf_of=on_behalf, from_status=previous, comment=comment, now=now
        )
        _enter_next_stage(cr, actor=user, today=today, now=now)
        ChangeRequestEvent.objects.filter(pk=event.pk).update(to_status=cr.status)
    else:
        cr.status = rule.target
        cr.assignee = cr.assignee_principal = None
        if cr.status in (S.REJECTED, S.WITHDRAWN):
            cr.closed_at = now
        _event(
            cr,
            action={wf.A_REJECT: E.REJECT, wf.A_RETURN: E.RETURN, wf.A_WITHDRAW: E.WITHDRAW}[action],
            actor=user,
            on_behalf_of=on_behalf,
            from_status=previous,
            comment=comment,
            now=now,
        )
        cr.stage_entered_at = now
        cr.save()
        if action in (wf.A_REJECT, wf.A_RETURN):
            title = {
                wf.A_REJECT: _("Your process change was rejected: %(title)s"),
                wf.A_RETURN: _("Your process change was returned for revision: %(title)s"),
            }[action]
            notify(
                recipient=cr.proposer,
                kind=f"processes.{action}",
                title=title % {"title": cr.title},
                body=comment,
                url=cr.get_absolute_url(),
            )
    return cr


# --- delegation ------------------------------------------------------------------------------


@transaction.atomic
def delegation_create(*, principal, delegate, start_date, end_date, note: str = "") -> Delegation:
    if delegate.pk == principal.pk:
        raise ValidationError(_("You cannot delegate to yourself."))
    if end_date < start_date:
        raise ValidationError(_("The end date is before the start date."))
    d = Delegation.objects.create(
        principal=principal, delegate=delegate, start_date=start_date, end_date=end_date, note=note
    )
    notify(
        recipient=delegate,
        kind="processes.delegation",
        title=_("%(name)s delegated process approvals to you from %(start)s to %(end)s")
        % {"name": principal.name, "start": start_date, "end": end_date},
    )
    return d


@transaction.atomic
def delegation_cancel(*, delegation: Delegation, user) -> None:
    if delegation.principal_id != user.pk:
        raise NotAllowed(_("Only the approver who gave a delegation can cancel it."))
    Delegation.objects.filter(pk=delegation.pk, cancelled_at__isnull=True).update(cancelled_at=timezone.now())


# --- periodic review -------------------------------------------------------------------------


@transaction.atomic
def review_record(
    *, process: Process, reviewer, reviewed_on, findings: str, next_review_date, actions: list[dict]
) -> ProcessReview:
    if next_review_date <= reviewed_on:
        raise ValidationError(_("The next review must come after this one."))
    review = ProcessReview.objects.create(
        process=process,
        reviewer=reviewer,
        reviewed_on=reviewed_on,
        findings=findings,
        next_review_date=next_review_date,
    )
    rows = ImprovementAction.objects.bulk_create(
        ImprovementAction(review=review, description=a["description"], owner=a["owner"], due_date=a["due_date"])
        for a in actions
    )
    Process.objects.filter(pk=process.pk).update(next_review_date=next_review_date, updated_at=timezone.now())
    process.next_review_date = next_review_date
    for row in rows:
        notify(
            recipient=row.owner,
            kind="processes.improvement_action",
            title=_("Improvement action for %(process)s: %(action)s")
            % {"process": process.name, "action": row.description},
            url=process.get_absolute_url() + "#reviews",
        )
    return review


@transaction.atomic
def action_complete(*, action: ImprovementAction, user) -> None:
    if user.pk != action.owner_id and not wf.is_ops(user):
        raise NotAllowed(_("Only the owner of the action or operations management can close it."))
    ImprovementAction.objects.filter(pk=action.pk, done_at__isnull=True).update(done_at=timezone.now())
