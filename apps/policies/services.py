"""Writes to the regulations library. Keyword-only, one transaction each, a history row
in the same transaction. Statuses change only through apps/core/statemachine.py (the
machines in machines.py); a draft's approval runs on the approvals engine (kind
"policies.draft", apps/policies/approvals.py): `version_submit` starts it and the engine's
decision calls back `on_approved` / `on_sent_back` in its own transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import is_admin, is_ops
from apps.approvals import services as approvals
from apps.core.statemachine import TransitionError, transition
from apps.core.versions import version_label
from apps.notifications.services import notify_many, resolve
from apps.search.services import index_now

from .machines import POLICY, VERSION
from .models import (
    OPEN_VERSION_STATUSES,
    Acknowledgement,
    AckScope,
    AckSource,
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
from .permissions import is_editor
from .signals import version_published

S = VersionStatus
KIND = "policies.draft"
# The kinds of notification that ask someone to do something about a regulation; the
# notification's subject says about what (the policy, or the version the reminders scan).
ACK_KINDS = ("policies.ack_required",)
ACK_REMINDER_KINDS = ("policies.ack_reminder", "policies.ack_overdue_report")
REVIEW_KINDS = ("policies.review_due", "policies.review_overdue")


def add_months(day: date, months: int) -> date:
    import calendar

    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def allowed_actions(user, version: PolicyVersion) -> list[str]:
    """The library's own steps on a version (approving happens on the approval request)."""
    if version.status == S.DRAFT and is_editor.test(user, version):
        return ["submit"]
    if version.status == S.PUBLISHED and (is_ops(user) or is_admin(user)):
        return ["retire"]
    return []


def approval_of(version: PolicyVersion):
    """The version's latest approval request on the engine (None before its first submission)."""
    return approvals.request_for(KIND, version.pk)


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


def _set_policy_status(policy: Policy, to: str) -> None:
    if policy.status != to:
        transition(policy, machine=POLICY, to=to, fields={"updated_at": timezone.now()})


def _refused(version: PolicyVersion, what: str) -> TransitionError:
    return TransitionError(
        _("This version is “%(status)s”; “%(action)s” is no longer possible.")
        % {"status": version.get_status_display(), "action": what}
    )


def _locked(version: PolicyVersion) -> tuple[Policy, PolicyVersion]:
    policy = Policy.objects.select_for_update().get(pk=version.policy_id)
    version = PolicyVersion.objects.select_for_update().select_related("policy__owning_department").get(pk=version.pk)
    return policy, version


def _title(version: PolicyVersion) -> str:
    return f"{version.policy.code} {version.label} {version.title}"


@transaction.atomic
def version_submit(
    *, version: PolicyVersion, actor, comment: str = "", today: date | None = None, from_status: str | None = None
) -> PolicyVersion:
    """Send a draft into its approval flow (a returned one: a new submission of the same
    request). `from_status` is the state the person saw: a stale click is refused."""
    policy, version = _locked(version)
    if version.status != S.DRAFT or (from_status and from_status != version.status):
        raise _refused(version, _("Submit"))
    if not is_editor.test(actor, version):
        raise PermissionDenied
    transition(version, machine=VERSION, to=S.IN_REVIEW, fields={"submitted_at": timezone.now()})
    if policy.current_version_id is None:
        _set_policy_status(policy, PolicyStatus.IN_REVIEW)
    approvals.submit(kind=KIND, obj=version, proposer=actor, title=_title(version), today=today, opinion=comment)
    return version


@transaction.atomic
def version_retire(
    *, version: PolicyVersion, actor, comment: str = "", today: date | None = None, from_status: str | None = None
) -> PolicyVersion:
    """Retire the version in force (the regulation stays readable, marked as no longer in force)."""
    policy, version = _locked(version)
    if version.status != S.PUBLISHED or (from_status and from_status != version.status):
        raise _refused(version, _("Retire"))
    if not (is_ops(actor) or is_admin(actor)):
        raise PermissionDenied
    transition(version, machine=VERSION, to=S.RETIRED)
    _history(
        policy=policy,
        version=version,
        actor=actor,
        action=HistoryAction.RETIRE,
        comment=comment,
        from_status=S.PUBLISHED,
        to_status=S.RETIRED,
    )
    _set_policy_status(policy, PolicyStatus.RETIRED)
    _settle_acks(policy=policy, version_ids=[version.pk])
    resolve(subject=policy, kinds=REVIEW_KINDS)
    index_now(source="policies", owner_ids=[policy.pk])  # retired texts stay findable, marked so
    return version


# --- what the approvals engine calls (in its transaction) ---------------------------------------


def on_approved(*, version: PolicyVersion, request, actor) -> None:
    """The flow's last stage approved: the version is scheduled, and published at once when
    its effective date has come (the daily job publishes the others)."""
    policy, version = _locked(version)
    today = timezone.localdate()
    transition(version, machine=VERSION, to=S.SCHEDULED, fields={"approved_by": actor, "approved_at": timezone.now()})
    if version.effective_date is None or version.effective_date <= today:
        _publish(policy=policy, version=version, today=today, actor=actor)


def on_sent_back(*, version: PolicyVersion, request, actor) -> None:
    """Returned, rejected or withdrawn: the version is a draft again, editable by its author."""
    policy, version = _locked(version)
    if version.status == S.DRAFT:  # a returned draft withdrawn: nothing changes
        return
    transition(version, machine=VERSION, to=S.DRAFT)
    if policy.current_version_id is None:
        _set_policy_status(policy, PolicyStatus.DRAFT)


def _publish(*, policy: Policy, version: PolicyVersion, today: date, actor=None) -> None:
    """Scheduled -> published; the version in force before becomes superseded (same transaction).
    `actor` is the last approver when it takes effect at once, None for the scheduled job."""
    previous = policy.current_version_id
    if previous and previous != version.pk:
        old = PolicyVersion.objects.select_for_update().get(pk=previous)
        if old.status in (S.PUBLISHED, S.RETIRED):
            old_status = old.status
            transition(old, machine=VERSION, to=S.SUPERSEDED)
            _history(
                policy=policy,
                version=old,
                actor=actor,
                action=HistoryAction.SUPERSEDE,
                from_status=old_status,
                to_status=S.SUPERSEDED,
            )
    transition(
        version,
        machine=VERSION,
        to=S.PUBLISHED,
        expected=S.SCHEDULED,
        fields={"published_at": timezone.now(), "effective_date": version.effective_date or today},
    )
    _set_policy_status(policy, PolicyStatus.PUBLISHED)
    policy.current_version = version
    policy.title = version.title or policy.title
    policy.next_review_date = add_months(version.effective_date, policy.review_interval_months)
    policy.save(update_fields=["current_version", "title", "next_review_date", "updated_at"])
    _history(
        policy=policy,
        version=version,
        actor=actor,
        action=HistoryAction.PUBLISH,
        from_status=S.SCHEDULED,
        to_status=S.PUBLISHED,
    )
    retired = _retire_replaced(policy=policy, version=version, actor=actor)
    # Modules that build on regulations react in the same transaction (training: a version
    # that needs training makes the training need of everyone who must acknowledge it).
    version_published.send(sender=PolicyVersion, version=version)
    # In the same transaction: the new text is findable, the old one now marked superseded
    # (and the regulations it abolished, now retired).
    index_now(source="policies", owner_ids=[policy.pk, *retired])
    # The versions no longer in force ask nobody to read them any more.
    _settle_acks(policy=policy, version_ids=[previous] if previous and previous != version.pk else [])
    for old_policy_id in retired:
        _settle_acks(policy=("policies.policy", old_policy_id), version_ids=None)
    if version.ack_scope != AckScope.NONE:
        from .selectors import ack_required_users

        recipients = list(ack_required_users(version).only("pk"))
        notify_many(
            recipients=recipients,
            kind="policies.ack_required",
            title=_("Please read and acknowledge: %(title)s") % {"title": policy.title},
            url=policy.get_absolute_url(),
            subject=policy,
        )


def _settle_acks(*, policy, version_ids) -> None:
    """Nobody is asked any more to read what is no longer in force: the "please read" about the
    policy and the reminders about the given versions (None: every version) are resolved."""
    resolve(subject=policy, kinds=ACK_KINDS)
    if version_ids is None:
        policy_id = policy[1] if isinstance(policy, tuple) else policy.pk
        version_ids = list(PolicyVersion.objects.filter(policy_id=policy_id).values_list("pk", flat=True))
    for version_id in version_ids:
        resolve(subject=("policies.version", version_id), kinds=ACK_REMINDER_KINDS)


def _retire_replaced(*, policy: Policy, version: PolicyVersion, actor=None) -> list[int]:
    """The regulations this version abolishes are retired and point at it (same transaction).
    Returns their ids."""
    retired = []
    for old_policy in (
        Policy.objects.select_for_update().filter(pk__in=version.replaces.values("pk")).exclude(pk=policy.pk)
    ):
        before = old_policy.status
        _set_policy_status(old_policy, PolicyStatus.RETIRED)
        old_policy.superseded_by = policy
        old_policy.save(update_fields=["superseded_by", "updated_at"])
        old_current = old_policy.current_version
        if old_current is not None and old_current.status == S.PUBLISHED:
            transition(old_current, machine=VERSION, to=S.RETIRED)
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
    version.parse_warnings = [w.as_json() for w in result.warnings]  # rendered when read
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
    needs_training: bool = False,
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
        needs_training=needs_training,
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
    needs_training: bool = False,
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
        needs_training=needs_training,
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
    needs_training: bool = False,
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
    version.needs_training = needs_training
    _apply_parse(version, result, text)
    version.save()
    version.ack_departments.set(ack_departments)
    if replaces is not None:
        version.replaces.set([p for p in replaces if p.pk != version.policy_id])
    _history(policy=version.policy, version=version, actor=actor, action=HistoryAction.EDIT)
    request = approval_of(version)
    if request is not None and request.status == request.Status.RETURNED:
        approvals.record_edit(request=request, actor=actor, title=_title(version))  # on the same timeline
    return version


@transaction.atomic
def draft_delete(*, version: PolicyVersion, actor) -> None:
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != S.DRAFT:
        raise TransitionError(_("Only a draft can be deleted."))
    policy = version.policy
    # Its approval requests (returned, rejected or withdrawn ones) go with the draft.
    approvals.discard(kind=KIND, object_id=version.pk)
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


@transaction.atomic
def acknowledge(*, user, version: PolicyVersion, source: str = AckSource.READ, via: str = "") -> Acknowledgement:
    """Idempotent: a second click keeps the first confirmation (its time and how it came;
    `source` TRAINING with `via`, the course, when passing or attending a training counts).
    The "please read" and its reminders are resolved; so is the manager's report once all
    their people have read it."""
    from django.db.models import Exists, OuterRef

    from .selectors import ack_required_users, user_must_ack

    if not user_must_ack(user, version):
        raise ValidationError(_("This version does not ask you to acknowledge it."))
    ack, _created = Acknowledgement.objects.get_or_create(
        user=user, version=version, defaults={"source": source, "via": via[:200]}
    )
    resolve(subject=("policies.policy", version.policy_id), kinds=ACK_KINDS, recipients=[user])
    resolve(subject=("policies.version", version.pk), kinds=["policies.ack_reminder"], recipients=[user])
    if user.manager_id:
        done = Acknowledgement.objects.filter(version=version, user=OuterRef("pk"))
        if not ack_required_users(version).filter(manager_id=user.manager_id).exclude(Exists(done)).exists():
            resolve(
                subject=("policies.version", version.pk),
                kinds=["policies.ack_overdue_report"],
                recipients=[user.manager_id],
            )
    return ack


def acknowledge_many(*, user_ids, version: PolicyVersion, source: str, via: str = "") -> int:
    """Acknowledge for several people at once (a training attended by a roster): only those
    the version asks; anyone who confirmed before keeps their confirmation. Returns how many
    were asked (confirmed now or before)."""
    from .selectors import ack_required_users

    asked = list(ack_required_users(version).filter(pk__in=list(user_ids)).values_list("pk", flat=True))
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(user_id=pk, version=version, source=source, via=via[:200]) for pk in asked],
        ignore_conflicts=True,
    )
    if asked:  # their "please read" and its reminders are done with
        resolve(subject=("policies.policy", version.policy_id), kinds=ACK_KINDS, recipients=asked)
        resolve(subject=("policies.version", version.pk), kinds=["policies.ack_reminder"], recipients=asked)
    return len(asked)


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
    resolve(subject=policy, kinds=REVIEW_KINDS)
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
        version_retire(version=policy.current_version, actor=actor, comment=comment, today=today)
    return None


def ack_nudge(*, version: PolicyVersion, actor, today: date | None = None) -> int | None:
    """催办 from a department head: remind the people of their team (their departments'
    subtrees) who have not acknowledged `version` yet. Once a day per version and team
    (apps/notifications/nudges.py); None when already nudged today."""
    from django.utils.translation import gettext_noop

    from apps.departments.permissions import team_departments, team_scope_key
    from apps.notifications.nudges import nudge_once

    from .home import NUDGE_KIND
    from .selectors import ack_missing_people

    team = team_departments(actor)
    if not team or not actor.has_perm("policies.nudge_team"):
        raise PermissionDenied
    if version.status != VersionStatus.PUBLISHED or version.ack_scope == AckScope.NONE:
        raise ValidationError(_("This version does not ask for acknowledgement."))
    return nudge_once(
        kind=NUDGE_KIND,
        thing=f"v{version.pk}",
        scope=team_scope_key(actor),
        day=today or timezone.localdate(),
        actor=actor,
        recipients=ack_missing_people(version, within=team).only("pk", "preferred_language"),
        title=gettext_noop("Your department head reminds you to acknowledge “%(title)s”"),
        params={"title": version.policy.title},
        url=version.policy.get_absolute_url(),
        subject=("policies.version", version.pk),  # acknowledging resolves it
    )
