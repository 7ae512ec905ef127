"""Every write of the process module. Keyword-only arguments, one transaction each; the
history line and the notifications are written in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import is_ops
from apps.approvals import services as approvals
from apps.approvals.services import ApprovalError
from apps.core.statemachine import transition
from apps.notifications.services import notify, resolve
from apps.search.services import index_now

from . import steps as steplib
from . import workflow as wf
from .models import (
    ChangeRequest,
    ImprovementAction,
    Process,
    ProcessReview,
    ProcessVersion,
)

S = ChangeRequest.Status


class WorkflowError(ApprovalError):
    """A refused transition; str() is the message to show (an ApprovalError, so a refusal
    raised while the engine calls back reaches the approver's page as a message)."""


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
    )
    cr.touches_other_departments = _touches_other_departments(cr)
    cr.save()
    approvals.open_draft(kind=wf.KIND, obj=cr, proposer=proposer, title=title)
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
    request = approval_of(cr)
    if request is not None:
        approvals.record_edit(request=request, actor=user, title=cr.title)
    return cr


def approval_of(cr: ChangeRequest):
    return approvals.request_for(wf.KIND, cr.pk)


@transaction.atomic
def change_request_submit(*, cr: ChangeRequest, user, comment: str = "", today=None) -> ChangeRequest:
    """Send a draft or a returned request into its approval flow (a new submission)."""
    cr = ChangeRequest.objects.select_for_update(of=("self",)).select_related("process__current_version").get(pk=cr.pk)
    if user.pk != cr.proposer_id:
        raise NotAllowed(_("Only the proposer can do this."))
    if cr.status not in (S.DRAFT, S.RETURNED):
        raise NotAllowed(
            _("“%(action)s” is not possible while the request is “%(status)s”.")
            % {"action": _("Submit"), "status": cr.get_status_display()}
        )
    if not cr.proposed_steps:
        raise NotAllowed(_("Add the proposed steps before submitting."))
    cr.touches_other_departments = _touches_other_departments(cr)
    transition(
        cr,
        machine=wf.CHANGE_REQUEST,
        to=S.PENDING,
        fields={
            "revision": cr.revision + 1,
            "submitted_at": timezone.now(),
            "touches_other_departments": cr.touches_other_departments,
        },
    )
    approvals.submit(kind=wf.KIND, obj=cr, proposer=user, title=cr.title, today=today, opinion=comment)
    cr.refresh_from_db()
    return cr


def change_request_transition(*, cr: ChangeRequest, user, action: str, comment: str = "", today=None, **_seen):
    """One step by `user`: submit (the proposer) or an operation on the approval."""
    if action == wf.A_SUBMIT:
        return change_request_submit(cr=cr, user=user, comment=comment, today=today)
    request = approval_of(cr)
    if request is None:
        raise NotAllowed(_("This request has not been submitted."))
    approvals.act(request=request, actor=user, operation=action, opinion=comment, today=today)
    cr.refresh_from_db()
    return cr


# --- what the approvals engine calls (in its transaction) ------------------------------------------


def _locked(cr: ChangeRequest) -> ChangeRequest:
    return (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("process__department", "proposer")
        .get(pk=cr.pk)
    )


def on_approved(*, cr: ChangeRequest, request, actor) -> None:
    cr = _locked(cr)
    process = Process.objects.select_for_update().get(pk=cr.process_id)
    if process.current_version_id != cr.base_version_id:
        raise StaleDecision(
            _(
                "Another change to this process was published after this request was written; "
                "return it so the proposer can check the steps against the current version."
            )
        )
    version_publish(
        process=process,
        steps=cr.proposed_steps,
        user=actor,
        effective_date=timezone.localdate(),
        summary=cr.title,
        change_request=cr,
    )
    transition(cr, machine=wf.CHANGE_REQUEST, to=S.APPROVED, fields={"closed_at": timezone.now()})
    head = wf.department_head(process.department)
    title = _("Process change approved and published: %(title)s") % {"title": cr.title}
    recipients = {cr.proposer_id: cr.proposer}
    if head is not None:
        recipients.setdefault(head.pk, head)
    for user in recipients.values():
        notify(recipient=user, kind="processes.published", title=title, url=process.get_absolute_url())


def on_rejected(*, cr: ChangeRequest, request, actor) -> None:
    transition(_locked(cr), machine=wf.CHANGE_REQUEST, to=S.REJECTED, fields={"closed_at": timezone.now()})


def on_returned(*, cr: ChangeRequest, request, actor) -> None:
    transition(_locked(cr), machine=wf.CHANGE_REQUEST, to=S.RETURNED)


def on_withdrawn(*, cr: ChangeRequest, request, actor) -> None:
    transition(_locked(cr), machine=wf.CHANGE_REQUEST, to=S.WITHDRAWN, fields={"closed_at": timezone.now()})


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
    resolve(subject=process, kinds=["processes.review_due"])  # the review it asked for is recorded
    for row in rows:
        notify(
            recipient=row.owner,
            kind="processes.improvement_action",
            title=_("Improvement action for %(process)s: %(action)s")
            % {"process": process.name, "action": row.description},
            url=process.get_absolute_url() + "#reviews",
            subject=row,
        )
    return review


@transaction.atomic
def action_complete(*, action: ImprovementAction, user) -> None:
    if user.pk != action.owner_id and not is_ops(user):
        raise NotAllowed(_("Only the owner of the action or operations management can close it."))
    ImprovementAction.objects.filter(pk=action.pk, done_at__isnull=True).update(done_at=timezone.now())
    resolve(subject=action, kinds=["processes.improvement_action", "processes.action_overdue"])
