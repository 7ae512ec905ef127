"""Writes to the regulations library. Keyword-only, one transaction each, a history row
in the same transaction. Only `version_transition` (and the scheduled publisher that
goes through it) changes a version's status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import is_admin, is_ops
from apps.core.versions import version_label
from apps.notifications.services import notify, notify_many
from apps.search.services import index_now

from .models import (
    OPEN_VERSION_STATUSES,
    Acknowledgement,
    AckScope,
    HistoryAction,
    Policy,
    PolicyHistory,
    PolicyNode,
    PolicyStatus,
    PolicyVersion,
    ReviewOutcome,
    VersionStatus,
)
from .parsing import ParseResult, iter_nodes, parse_text
from .permissions import is_editor, is_owning_head

S = VersionStatus


def add_months(day: date, months: int) -> date:
    import calendar

    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class TransitionError(Exception):
    """The action is not possible from the version's current state (someone was faster)."""


@rules.predicate
def _system(user) -> bool:
    return user is None


@rules.predicate
def _not_author(user, version) -> bool:
    """Four eyes: nobody approves a draft they wrote."""
    return user is not None and version.created_by_id != user.pk


@rules.predicate
def _not_first_approver(user, version) -> bool:
    """Four eyes: the department's approver does not also give the operations approval
    (an administrator cannot take a draft to force alone)."""
    return user is not None and version.dept_approved_by_id != user.pk


@dataclass(frozen=True)
class Transition:
    target: str
    history: str
    allowed: object  # a rules predicate over (user, version)


# THE approval machine: (state, action) -> where it goes, what the history says, who may.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (S.DRAFT, "submit"): Transition(S.IN_REVIEW, HistoryAction.SUBMIT, is_editor),
    (S.IN_REVIEW, "approve"): Transition(
        S.OPS_REVIEW, HistoryAction.DEPT_APPROVE, (is_owning_head | is_admin) & _not_author
    ),
    (S.IN_REVIEW, "return"): Transition(S.DRAFT, HistoryAction.RETURN, is_owning_head | is_admin),
    (S.OPS_REVIEW, "approve"): Transition(
        S.SCHEDULED, HistoryAction.OPS_APPROVE, (is_ops | is_admin) & _not_author & _not_first_approver
    ),
    (S.OPS_REVIEW, "return"): Transition(S.DRAFT, HistoryAction.RETURN, is_ops | is_admin),
    (S.SCHEDULED, "publish"): Transition(S.PUBLISHED, HistoryAction.PUBLISH, _system),
    (S.PUBLISHED, "retire"): Transition(S.RETIRED, HistoryAction.RETIRE, is_ops | is_admin),
}
ACTIONS = sorted({action for _state, action in TRANSITIONS})


def allowed_actions(user, version: PolicyVersion) -> list[str]:
    return [a for (state, a), t in TRANSITIONS.items() if state == version.status and t.allowed.test(user, version)]


def _history(*, policy, version=None, actor=None, action, comment="", from_status="", to_status="") -> PolicyHistory:
    return PolicyHistory.objects.create(
        policy=policy,
        version=version,
        actor=actor,
        action=action,
        comment=comment,
        from_status=from_status,
        to_status=to_status,
    )


@transaction.atomic
def version_transition(
    *,
    version: PolicyVersion,
    action: str,
    actor,
    comment: str = "",
    today: date | None = None,
    from_status: str | None = None,
) -> PolicyVersion:
    """Apply one step of the machine. Locks the policy then the version, so two approvers
    clicking at once give one decision: the second finds the state moved on. `from_status`
    is the state the person saw when they clicked (pages send it): a decision taken on a
    state that has since changed is refused rather than applied to the next step."""
    today = today or timezone.localdate()
    policy = Policy.objects.select_for_update().get(pk=version.policy_id)
    version = PolicyVersion.objects.select_for_update().select_related("policy__owning_department").get(pk=version.pk)
    transition = TRANSITIONS.get((version.status, action))
    if transition is None or (from_status and from_status != version.status):
        raise TransitionError(
            _("This version is “%(status)s”; “%(action)s” is no longer possible.")
            % {"status": version.get_status_display(), "action": action}
        )
    if not transition.allowed.test(actor, version):
        raise PermissionDenied
    if action == "return" and not comment.strip():
        raise ValidationError(_("Say what needs to change when returning a draft."))
    now = timezone.now()
    before = version.status
    version.status = transition.target
    if action == "submit":
        version.submitted_at = now
    elif action == "approve" and before == S.IN_REVIEW:
        version.dept_approved_by, version.dept_approved_at = actor, now
    elif action == "approve" and before == S.OPS_REVIEW:
        version.approved_by, version.approved_at = actor, now
    version.save()
    _history(
        policy=policy,
        version=version,
        actor=actor,
        action=transition.history,
        comment=comment,
        from_status=before,
        to_status=version.status,
    )
    if action == "retire":
        policy.status = PolicyStatus.RETIRED
        policy.save(update_fields=["status", "updated_at"])
    elif policy.current_version_id is None and action in ("submit", "return"):
        policy.status = PolicyStatus.IN_REVIEW if action == "submit" else PolicyStatus.DRAFT
        policy.save(update_fields=["status", "updated_at"])
    if version.status == S.SCHEDULED and (version.effective_date is None or version.effective_date <= today):
        _publish(policy=policy, version=version, today=today, actor=actor)
    elif action == "retire":
        index_now(source="policies", owner_ids=[policy.pk])  # retired texts stay findable, marked so
    _notify_step(version=version, action=action, actor=actor, before=before, comment=comment)
    return version


def _publish(*, policy: Policy, version: PolicyVersion, today: date, actor=None) -> None:
    """Scheduled -> published; the version in force before becomes superseded (same transaction).
    `actor` is the ops approver when it takes effect at once, None for the scheduled job."""
    previous = policy.current_version_id
    if previous and previous != version.pk:
        old = PolicyVersion.objects.select_for_update().get(pk=previous)
        if old.status in (S.PUBLISHED, S.RETIRED):
            old_status = old.status
            old.status = S.SUPERSEDED
            old.save(update_fields=["status"])
            _history(
                policy=policy,
                version=old,
                actor=actor,
                action=HistoryAction.SUPERSEDE,
                from_status=old_status,
                to_status=S.SUPERSEDED,
            )
    version.status = S.PUBLISHED
    version.published_at = timezone.now()
    if version.effective_date is None:
        version.effective_date = today
    version.save(update_fields=["status", "published_at", "effective_date"])
    policy.current_version = version
    policy.title = version.title or policy.title
    policy.status = PolicyStatus.PUBLISHED
    policy.next_review_date = add_months(version.effective_date, policy.review_interval_months)
    policy.save()
    _history(
        policy=policy,
        version=version,
        actor=actor,
        action=HistoryAction.PUBLISH,
        from_status=S.SCHEDULED,
        to_status=S.PUBLISHED,
    )
    retired = _retire_replaced(policy=policy, version=version, actor=actor)
    # In the same transaction: the new text is findable, the old one now marked superseded
    # (and the regulations it abolished, now retired).
    index_now(source="policies", owner_ids=[policy.pk, *retired])
    if version.ack_scope != AckScope.NONE:
        from .selectors import ack_required_users

        recipients = list(ack_required_users(version).only("pk"))
        notify_many(
            recipients=recipients,
            kind="policies.ack_required",
            title=_("Please read and acknowledge: %(title)s") % {"title": policy.title},
            url=policy.get_absolute_url(),
        )


def _retire_replaced(*, policy: Policy, version: PolicyVersion, actor=None) -> list[int]:
    """The regulations this version abolishes are retired and point at it (same transaction).
    Returns their ids."""
    retired = []
    for old_policy in (
        Policy.objects.select_for_update().filter(pk__in=version.replaces.values("pk")).exclude(pk=policy.pk)
    ):
        before = old_policy.status
        old_policy.superseded_by = policy
        old_policy.status = PolicyStatus.RETIRED
        old_policy.save(update_fields=["superseded_by", "status", "updated_at"])
        old_current = old_policy.current_version
        if old_current is not None and old_current.status == S.PUBLISHED:
            old_current.status = S.RETIRED
            old_current.save(update_fields=["status"])
        _history(
            policy=old_policy,
            version=old_current,
            actor=actor,
            action=HistoryAction.RETIRE,
            comment=_("Superseded by %(code)s %(title)s") % {"code": policy.code, "title": policy.title},
            from_status=before,
            to_status=PolicyStatus.RETIRED,
        )
        retired.append(old_policy.pk)
    return retired


def _notify_step(*, version, action, actor, before, comment) -> None:
    policy = version.policy
    url = version.get_absolute_url()
    if action == "submit" and policy.owning_department.head_id not in (None, getattr(actor, "pk", None)):
        notify(
            recipient=policy.owning_department.head,
            kind="policies.approval",
            title=_("Draft to approve: %(title)s") % {"title": version.title},
            url=url,
        )
    elif action == "approve" and before == S.IN_REVIEW:
        from apps.accounts.permissions import users_with_role
        from apps.accounts.roles import Role

        ops = users_with_role(Role.OPS).exclude(pk=getattr(actor, "pk", None))
        notify_many(
            recipients=list(ops.only("pk")),
            kind="policies.approval",
            title=_("Draft to approve: %(title)s") % {"title": version.title},
            url=url,
        )
    elif action == "return" and version.created_by_id and version.created_by_id != getattr(actor, "pk", None):
        notify(
            recipient=version.created_by,
            kind="policies.returned",
            title=_("Draft returned: %(title)s") % {"title": version.title},
            body=comment,
            url=url,
        )


@transaction.atomic
def policies_publish_due(*, today: date) -> int:
    """Scheduled job: publish every approved version whose effective date has come.
    State-based and idempotent: a missed day catches up, a second run publishes nothing."""
    count = 0
    due = PolicyVersion.objects.filter(status=S.SCHEDULED, effective_date__lte=today).order_by("effective_date", "pk")
    for version_id in list(due.values_list("pk", flat=True)):
        policy = Policy.objects.select_for_update().get(versions__pk=version_id)
        version = PolicyVersion.objects.select_for_update().get(pk=version_id)
        if version.status != S.SCHEDULED:  # published by someone else meanwhile
            continue
        _publish(policy=policy, version=version, today=today)
        count += 1
    return count


# --- Creating and editing drafts -----------------------------------------------------------


def _node_rows(version: PolicyVersion, result: ParseResult) -> list[PolicyNode]:
    rows = []
    for ordinal, (node, ancestors) in enumerate(iter_nodes(result.nodes)):
        rows.append(
            PolicyNode(
                version=version,
                ordinal=ordinal,
                depth=len(ancestors),
                kind=node.kind,
                label=node.label[:40],
                number=node.number or 0,
                heading=node.heading[:300],
                text=node.text,
                slug=node.slug[:80],
            )
        )
    return rows


def _apply_parse(version: PolicyVersion, result: ParseResult, text: str) -> None:
    version.source_text = text
    version.preamble = result.preamble
    version.interpreter_text = (result.interpreter or "")[:200]
    meta = result.metadata
    if meta is not None:
        version.doc_number = meta.doc_number[:60]
        version.issuer_text = meta.issuer[:200]
        version.is_trial = meta.trial
    version.parse_warnings = list(result.warnings)
    rows = _node_rows(version, result)
    version.article_count = sum(1 for r in rows if r.kind == "article")
    PolicyNode.objects.filter(version=version).delete()
    PolicyNode.objects.bulk_create(rows, batch_size=1000)


def next_label(policy: Policy) -> str:
    n = policy.versions.count() + 1 if policy.pk else 1
    while policy.pk and policy.versions.filter(label=version_label(n)).exists():
        n += 1
    return version_label(n)


@transaction.atomic
def policy_create(
    *,
    actor,
    code: str,
    title: str,
    owning_department,
    category=None,
    interpreting_department=None,
    confidentiality: str = "public",
    allowed_departments=(),
    review_interval_months: int = 12,
    text: str = "",
    label: str = "V1",
    effective_date: date | None = None,
    change_summary: str = "",
    ack_scope: str = AckScope.NONE,
    ack_departments=(),
    replaces=(),
) -> PolicyVersion:
    """A new policy with its first draft, parsed from `text`. `replaces`: the policies
    its publication retires (原《…》同时废止)."""
    if Policy.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A policy with this code already exists.")})
    result = parse_text(text)
    title = title or result.title or code
    try:
        with transaction.atomic():  # two people creating the same code at once: one wins
            policy = Policy.objects.create(
                code=code,
                title=title,
                category=category,
                owning_department=owning_department,
                interpreting_department=interpreting_department,
                confidentiality=confidentiality,
                review_interval_months=review_interval_months,
            )
    except IntegrityError:
        raise ValidationError({"code": _("A policy with this code already exists.")}) from None
    policy.allowed_departments.set(allowed_departments)
    _history(policy=policy, actor=actor, action=HistoryAction.CREATE, to_status=PolicyStatus.DRAFT)
    return draft_create(
        policy=policy,
        actor=actor,
        text=text,
        title=title,
        label=label,
        effective_date=effective_date,
        change_summary=change_summary,
        ack_scope=ack_scope,
        ack_departments=ack_departments,
        result=result,
        replaces=replaces,
    )


@transaction.atomic
def draft_create(
    *,
    policy: Policy,
    actor,
    text: str,
    title: str = "",
    label: str = "",
    effective_date: date | None = None,
    change_summary: str = "",
    ack_scope: str = AckScope.NONE,
    ack_departments=(),
    result: ParseResult | None = None,
    replaces=(),
) -> PolicyVersion:
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if policy.versions.filter(status__in=OPEN_VERSION_STATUSES).exists():
        raise ValidationError(_("This policy already has a version being drafted or approved; finish that one first."))
    result = result or parse_text(text)
    label = label or next_label(policy)
    if policy.versions.filter(label=label).exists():
        raise ValidationError({"label": _("Version %(label)s already exists.") % {"label": label}})
    version = PolicyVersion(
        policy=policy,
        label=label,
        title=title or result.title or policy.title,
        effective_date=effective_date or result.effective_date,
        change_summary=change_summary,
        ack_scope=ack_scope,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:
        raise ValidationError(
            _("This policy already has a version being drafted or approved; finish that one first.")
        ) from None
    _apply_parse(version, result, text)
    version.save()
    version.ack_departments.set(ack_departments)
    version.replaces.set([p for p in replaces if p.pk != policy.pk])
    _history(policy=policy, version=version, actor=actor, action=HistoryAction.DRAFT, to_status=S.DRAFT)
    return version


def version_as_text(version: PolicyVersion) -> str:
    """The text of a version, one label per line: the source when we have it, else rebuilt."""
    if version.source_text:
        return version.source_text
    lines = [version.title, ""] if version.title else []
    if version.preamble:
        lines.append(version.preamble)
    for node in version.nodes.order_by("ordinal"):
        body = "".join(p for p in (node.heading, node.text) if p)
        lines.append(f"{node.label}{body}")
    return "\n".join(lines)


@transaction.atomic
def draft_from_current(*, policy: Policy, actor, label: str = "") -> PolicyVersion:
    """Start the next version as a copy of the one in force."""
    policy = Policy.objects.select_related("current_version").get(pk=policy.pk)
    current = policy.current_version
    if current is None:
        raise ValidationError(_("There is no version in force to copy."))
    draft = draft_create(
        policy=policy,
        actor=actor,
        text=version_as_text(current),
        title=current.title,
        label=label,
        ack_scope=current.ack_scope,
        ack_departments=list(current.ack_departments.all()),
    )
    from .attachments import copy_attachments

    copy_attachments(source=current, target=draft)
    return draft


@transaction.atomic
def draft_update(
    *,
    version: PolicyVersion,
    actor,
    text: str,
    title: str,
    label: str,
    effective_date: date | None,
    change_summary: str,
    ack_scope: str,
    ack_departments=(),
    replaces=None,
) -> PolicyVersion:
    """Edit a draft: its text is parsed again. Any other status is immutable.
    `replaces` None keeps the abolished regulations chosen before."""
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != S.DRAFT:
        raise TransitionError(_("Only a draft can be edited."))
    if label != version.label and version.policy.versions.filter(label=label).exists():
        raise ValidationError({"label": _("Version %(label)s already exists.") % {"label": label}})
    result = parse_text(text)
    version.title, version.label, version.change_summary = title or result.title or version.title, label, change_summary
    version.effective_date = effective_date or result.effective_date
    version.ack_scope = ack_scope
    _apply_parse(version, result, text)
    version.save()
    version.ack_departments.set(ack_departments)
    if replaces is not None:
        version.replaces.set([p for p in replaces if p.pk != version.policy_id])
    _history(policy=version.policy, version=version, actor=actor, action=HistoryAction.EDIT)
    return version


@transaction.atomic
def draft_delete(*, version: PolicyVersion, actor) -> None:
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != S.DRAFT:
        raise TransitionError(_("Only a draft can be deleted."))
    policy = version.policy
    if policy.current_version_id is None:
        policy.delete()  # a policy that never had a text in force goes with its only draft
        return
    _history(policy=policy, actor=actor, action=HistoryAction.DRAFT_DELETE, comment=version.label)
    version.delete()


@transaction.atomic
def policy_update_settings(*, policy: Policy, actor, allowed_departments=(), **fields) -> Policy:
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.save()
    policy.allowed_departments.set(allowed_departments)
    _history(policy=policy, actor=actor, action=HistoryAction.SETTINGS)
    index_now(source="policies", owner_ids=[policy.pk])  # category and department are filters
    return policy


# --- Read and acknowledge ------------------------------------------------------------------


def acknowledge(*, user, version: PolicyVersion) -> Acknowledgement:
    """Idempotent: a second click keeps the first confirmation's time."""
    from .selectors import user_must_ack

    if not user_must_ack(user, version):
        raise ValidationError(_("This version does not ask you to acknowledge it."))
    ack, _created = Acknowledgement.objects.get_or_create(user=user, version=version)
    return ack


# --- Periodic review -----------------------------------------------------------------------


@transaction.atomic
def policy_record_review(
    *, policy: Policy, actor, outcome: str, comment: str = "", today: date | None = None
) -> PolicyVersion | None:
    """Record the outcome of a periodic review. "revise" opens a draft copy (returned),
    "retire" retires the version in force, "no change" moves the next review date on."""
    today = today or timezone.localdate()
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if not is_editor.test(actor, policy):
        raise PermissionDenied
    if policy.status != PolicyStatus.PUBLISHED or policy.current_version_id is None:
        raise TransitionError(_("Only a policy in force can be reviewed."))
    policy.last_reviewed_at = timezone.now()
    policy.next_review_date = add_months(today, policy.review_interval_months)
    policy.save(update_fields=["last_reviewed_at", "next_review_date", "updated_at"])
    _history(
        policy=policy,
        version=policy.current_version,
        actor=actor,
        action=HistoryAction.REVIEW,
        to_status=outcome,
        comment=comment,
    )
    if outcome == ReviewOutcome.REVISE:
        open_draft = policy.versions.filter(status__in=OPEN_VERSION_STATUSES).first()
        return open_draft or draft_from_current(policy=policy, actor=actor)
    if outcome == ReviewOutcome.RETIRE:
        version_transition(version=policy.current_version, action="retire", actor=actor, comment=comment, today=today)
    return None
