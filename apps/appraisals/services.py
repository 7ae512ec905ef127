"""Every write of the appraisal module. Keyword-only, one transaction each, history in the
same transaction; status changes only through the transition tables below, on a locked row."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import is_admin, is_hr
from apps.approvals import services as approvals
from apps.notifications.services import notify, notify_many, resolve

from . import kpi_binding, scoring
from .models import (
    Appraisal,
    AppraisalEvent,
    Criterion,
    Cycle,
    CycleEvent,
    Grade,
    PeerReview,
    Stage,
    Status,
    Template,
)
from .opening import (  # noqa: F401  (re-exported: the cycle-opening services live there)
    appraisal_cycle_open,
    appraisal_cycle_open_previous_quarter,
    build_appraisals,
)

# (cycle stage, action) -> next stage. "system" = the scheduler may do it too.
CYCLE_TRANSITIONS = {
    (Stage.SELF, "advance"): (Stage.REVIEW, {"hr", "system"}),
    (Stage.REVIEW, "advance"): (Stage.CALIBRATION, {"hr", "system"}),
    (Stage.CALIBRATION, "publish"): (Stage.PUBLISHED, {"hr"}),
    (Stage.PUBLISHED, "close"): (Stage.CLOSED, {"hr", "system"}),
}

# (appraisal status, action) -> (new status, who may, cycle stages in which it is allowed)
APPRAISAL_TRANSITIONS = {
    (Status.SELF, "self_save"): (Status.SELF, "employee", {Stage.SELF}),
    (Status.SELF, "self_submit"): (Status.SUBMITTED, "employee", {Stage.SELF}),
    (Status.SELF, "review_save"): (Status.SELF, "reviewer", {Stage.REVIEW}),
    (Status.SELF, "review_submit"): (Status.REVIEWED, "reviewer", {Stage.REVIEW}),
    (Status.SUBMITTED, "review_save"): (Status.SUBMITTED, "reviewer", {Stage.SELF, Stage.REVIEW}),
    (Status.SUBMITTED, "review_submit"): (Status.REVIEWED, "reviewer", {Stage.SELF, Stage.REVIEW}),
    (Status.REVIEWED, "review_save"): (Status.REVIEWED, "reviewer", {Stage.SELF, Stage.REVIEW}),
    (Status.REVIEWED, "review_submit"): (Status.REVIEWED, "reviewer", {Stage.SELF, Stage.REVIEW}),
    (Status.REVIEWED, "calibrate"): (Status.REVIEWED, "hr", {Stage.CALIBRATION}),
    (Status.PUBLISHED, "acknowledge"): (Status.ACKNOWLEDGED, "employee", {Stage.PUBLISHED}),
    (Status.PUBLISHED, "object"): (Status.OBJECTED, "employee", {Stage.PUBLISHED}),
    (Status.OBJECTED, "resolve"): (Status.RESOLVED, "hr", {Stage.PUBLISHED, Stage.CLOSED}),
    (Status.OBJECTED, "withdraw_objection"): (Status.PUBLISHED, "employee", {Stage.PUBLISHED, Stage.CLOSED}),
}
ACTION_DEADLINE = {
    "self_save": "self_deadline",
    "self_submit": "self_deadline",
    "review_save": "review_deadline",
    "review_submit": "review_deadline",
    "acknowledge": "close_date",
    "object": "close_date",
}


def actor_is_hr(user) -> bool:
    return bool(user and (is_hr(user) or is_admin(user)))


def _plays(user, role: str, appraisal: Appraisal) -> bool:
    if role == "employee":
        return user is not None and appraisal.employee_id == user.pk
    if role == "reviewer":
        return user is not None and appraisal.reviewer_id == user.pk
    return actor_is_hr(user)


def action_check(appraisal: Appraisal, action: str, user, today: date) -> str:
    """'' if `user` may do `action` now; otherwise why not (shown as the read-only notice)."""
    rule = APPRAISAL_TRANSITIONS.get((appraisal.status, action))
    if appraisal.is_excluded:
        return _("This appraisal is excluded from the cycle.")
    if rule is None:
        return _("This step is already done.")
    _new, role, stages = rule
    if not _plays(user, role, appraisal):
        return _("You are not the person for this step.")
    cycle = appraisal.cycle
    if cycle.stage not in stages:
        return _("The cycle is in the “%(stage)s” stage; this step is not open.") % {"stage": cycle.get_stage_display()}
    deadline_field = ACTION_DEADLINE.get(action)
    if deadline_field and today > getattr(cycle, deadline_field):
        return _("The deadline (%(date)s) has passed; the form is read-only.") % {
            "date": getattr(cycle, deadline_field)
        }
    return ""


def _locked(appraisal: Appraisal) -> Appraisal:
    return Appraisal.objects.select_for_update().select_related("cycle", "form").get(pk=appraisal.pk)


def _transition(appraisal: Appraisal, action: str, actor, today: date) -> Appraisal:
    locked = _locked(appraisal)
    problem = action_check(locked, action, actor, today)
    if problem:
        raise ValidationError(problem)
    locked.status = APPRAISAL_TRANSITIONS[(locked.status, action)][0]
    return locked


def _event(appraisal, actor, action, changes=None, reason=""):
    AppraisalEvent.objects.create(appraisal=appraisal, actor=actor, action=action, changes=changes or {}, reason=reason)


def clean_scores(criteria: list[dict], raw: dict, *, require_all: bool, proposed: dict | None = None) -> dict:
    """Normalise {criterion id: {"score", "comment", "reason"}}; raise with every problem."""
    errors, clean = [], {}
    for c in criteria:
        key = str(c["id"])
        entry = raw.get(key) or {}
        text = str(entry.get("score") or "").strip()
        score = scoring.parse_score(text)
        if text and score is None:
            errors.append(_("%(name)s: the score must be a number from 0 to 100.") % {"name": c["name"]})
        elif score is None and require_all:
            errors.append(_("%(name)s: a score is required.") % {"name": c["name"]})
        item = {"score": str(score) if score is not None else "", "comment": str(entry.get("comment") or "").strip()}
        if proposed and key in proposed:
            item["proposed"] = str(proposed[key])
            item["reason"] = str(entry.get("reason") or "").strip()
            if require_all and score is not None and score != proposed[key] and not item["reason"]:
                errors.append(
                    _("%(name)s: give a reason for changing the score proposed from the KPI.") % {"name": c["name"]}
                )
        clean[key] = item
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def appraisal_save_self(
    *, appraisal: Appraisal, actor, scores: dict, summary: str, submit: bool, today: date | None = None
) -> Appraisal:
    today = today or timezone.localdate()
    locked = _transition(appraisal, "self_submit" if submit else "self_save", actor, today)
    locked.self_scores = clean_scores(locked.form.criteria, scores, require_all=submit)
    locked.self_summary = summary.strip()
    locked.self_total = scoring.weighted_total(locked.form.criteria, locked.self_scores)
    if submit:
        if not locked.self_summary:
            raise ValidationError(_("Write a short summary before submitting."))
        locked.self_submitted_at = timezone.now()
        _event(locked, actor, "self_submitted", {"self_total": [None, str(locked.self_total)]})
        # Done: "please fill in your self-assessment" and its deadline reminders are resolved
        # (both are about the cycle; during self-assessment the deadline reminders one receives
        # as an employee are the only ones about it).
        resolve(subject=locked.cycle, kinds=SELF_ASKS, recipients=[locked.employee_id])
        if locked.reviewer_id:  # written in this transaction: a rollback notifies nobody
            notify(
                recipient=locked.reviewer,
                kind="appraisals.self_submitted",
                title=_("%(name)s submitted the self-assessment for %(code)s")
                % {"name": locked.employee.name, "code": locked.cycle.code},
                url=locked.get_absolute_url(),
                subject=locked,
            )
    locked.save()
    return locked


SELF_ASKS = ("appraisals.self_open", "appraisals.stage_deadline")
STAGE_ASKS = ("appraisals.self_open", "appraisals.review_open", "appraisals.stage_deadline")


def _review_asks_settled(appraisal: Appraisal) -> None:
    """The review is in: the reviewer's "self-assessment submitted" about it is resolved, and
    once none of their reviews in the cycle is pending, "reviews are open" and its reminders."""
    resolve(subject=appraisal, kinds=["appraisals.self_submitted"])
    pending = Appraisal.objects.filter(
        cycle_id=appraisal.cycle_id, reviewer_id=appraisal.reviewer_id, is_excluded=False, reviewed_at__isnull=True
    )
    if not pending.exists():
        resolve(
            subject=("appraisals.cycle", appraisal.cycle_id),
            kinds=("appraisals.review_open", "appraisals.stage_deadline"),
            recipients=[appraisal.reviewer_id],
        )


def _score_changes(before: dict, after: dict) -> dict:
    changes = {}
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key) or {}, after.get(key) or {}
        if (b.get("score"), b.get("comment")) != (a.get("score"), a.get("comment")):
            changes[f"criterion {key}"] = [b.get("score") or "", a.get("score") or ""]
    return changes


@transaction.atomic
def appraisal_save_review(
    *, appraisal: Appraisal, actor, scores: dict, summary: str, submit: bool, today: date | None = None
) -> Appraisal:
    today = today or timezone.localdate()
    locked = _transition(appraisal, "review_submit" if submit else "review_save", actor, today)
    was_reviewed = locked.reviewed_at is not None
    before = {"scores": dict(locked.manager_scores), "summary": locked.manager_summary, "total": locked.total}
    proposed = kpi_binding.proposed_scores(locked)
    # Once submitted, a review stays complete: a later save is a change, validated like a submission.
    locked.manager_scores = clean_scores(
        locked.form.criteria, scores, require_all=submit or was_reviewed, proposed=proposed
    )
    locked.manager_summary = summary.strip()
    if submit:
        locked.total = scoring.weighted_total(locked.form.criteria, locked.manager_scores)
        locked.grade = scoring.grade_for(locked.total, locked.cycle.grade_bands)
        locked.final_grade = locked.grade
        locked.reviewed_at = timezone.now()
        changes = _score_changes(before["scores"], locked.manager_scores)
        if before["summary"] != locked.manager_summary:
            changes["summary"] = [before["summary"], locked.manager_summary]
        changes["total"] = [str(before["total"]) if before["total"] is not None else None, str(locked.total)]
        _event(locked, actor, "review_changed" if was_reviewed else "review_submitted", changes)
        locked.save()
        _review_asks_settled(locked)
        return locked
    elif was_reviewed:
        # A submitted review goes on counting as submitted; a draft edit after it is history too.
        locked.total = scoring.weighted_total(locked.form.criteria, locked.manager_scores)
        locked.grade = scoring.grade_for(locked.total, locked.cycle.grade_bands)
        locked.final_grade = locked.grade
        _event(locked, actor, "review_changed", _score_changes(before["scores"], locked.manager_scores))
    locked.save()
    return locked


@transaction.atomic
def appraisal_calibrate(
    *, appraisal: Appraisal, actor, final_grade: str, reason: str, today: date | None = None
) -> Appraisal:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A reason is required to adjust a grade."))
    if final_grade not in Grade.values:
        raise ValidationError(_("Choose a grade."))
    locked = _transition(appraisal, "calibrate", actor, today or timezone.localdate())
    before = locked.final_grade
    locked.final_grade = final_grade
    locked.calibration_reason = reason
    locked.save(update_fields=["final_grade", "calibration_reason", "status", "updated_at"])
    _event(locked, actor, "calibrated", {"final_grade": [before, final_grade]}, reason)
    if locked.reviewer_id:
        notify(
            recipient=locked.reviewer,
            kind="appraisals.calibrated",
            title=_("HR adjusted the grade of %(name)s") % {"name": locked.employee.name},
            body=reason,
            url=locked.get_absolute_url(),
        )
    return locked


@transaction.atomic
def appraisal_acknowledge(*, appraisal: Appraisal, actor, today: date | None = None) -> Appraisal:
    locked = _transition(appraisal, "acknowledge", actor, today or timezone.localdate())
    locked.acknowledged_at = timezone.now()
    locked.save(update_fields=["status", "acknowledged_at", "updated_at"])
    _event(locked, actor, "acknowledged")
    return locked


OBJECTION = "appraisals.objection"  # the approvals engine's kind (apps/appraisals/approvals.py)


@transaction.atomic
def appraisal_object(*, appraisal: Appraisal, actor, reason: str, today: date | None = None) -> Appraisal:
    """The employee objects: the objection goes to HR on the approvals engine (HR is asked
    there, never the employee who objects)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Explain your objection."))
    locked = _transition(appraisal, "object", actor, today or timezone.localdate())
    locked.objection_reason = reason
    locked.objection_resolution = ""
    locked.save(update_fields=["status", "objection_reason", "objection_resolution", "updated_at"])
    _event(locked, actor, "objected", reason=reason)
    title = _("%(name)s: objection to the %(code)s result") % {"name": locked.employee.name, "code": locked.cycle.code}
    try:
        approvals.submit(kind=OBJECTION, obj=locked, proposer=actor, title=title, opinion=reason, today=today)
    except approvals.ApprovalError as exc:
        raise ValidationError(str(exc)) from None
    return locked


def objection_request(appraisal: Appraisal):
    return approvals.request_for(OBJECTION, appraisal.pk)


@transaction.atomic
def appraisal_resolve_objection(
    *, appraisal: Appraisal, actor, resolution: str, final_grade: str = "", today: date | None = None
) -> Appraisal:
    """HR resolves from the appraisal page, optionally changing the grade: the grade is set
    here, then the HR task on the engine is approved with the resolution as its opinion."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError(_("Write how the objection was resolved."))
    locked = _locked(appraisal)
    problem = action_check(locked, "resolve", actor, today or timezone.localdate())
    if problem:
        raise ValidationError(problem)
    if final_grade and final_grade != locked.final_grade:
        if final_grade not in Grade.values:
            raise ValidationError(_("Choose a grade."))
        changes = {"final_grade": [locked.final_grade, final_grade]}
        locked.final_grade = final_grade
        locked.save(update_fields=["final_grade", "updated_at"])
        _event(locked, actor, "objection_grade", changes, resolution)
    request = objection_request(locked)
    if request is None:
        raise ValidationError(_("This objection has no approval request."))
    try:
        approvals.act(request=request, actor=actor, operation="approve", opinion=resolution, today=today)
    except approvals.ApprovalError as exc:
        raise ValidationError(str(exc)) from None
    locked.refresh_from_db()
    return locked


def _decision_opinion(request) -> str:
    last = request.events.filter(operation__in=("approve", "reject", "return")).order_by("-created_at", "-pk").first()
    return last.opinion if last else ""


def _resolve(*, appraisal: Appraisal, actor, resolution: str) -> None:
    try:
        locked = _transition(appraisal, "resolve", actor, timezone.localdate())
    except ValidationError as exc:
        raise approvals.ApprovalError(exc.messages[0]) from None
    locked.objection_resolution = resolution
    locked.save(update_fields=["status", "objection_resolution", "updated_at"])
    _event(locked, actor, "objection_resolved", {}, resolution)
    notify(
        recipient=locked.employee,
        kind="appraisals.objection_resolved",
        title=_("Your objection to the %(code)s result was resolved") % {"code": locked.cycle.code},
        body=resolution,
        url=locked.get_absolute_url(),
    )


def objection_accepted(*, appraisal: Appraisal, request, actor) -> None:
    _resolve(appraisal=appraisal, actor=actor, resolution=_decision_opinion(request) or _("Objection accepted."))


def objection_rejected(*, appraisal: Appraisal, request, actor) -> None:
    opinion = _decision_opinion(request)
    _resolve(appraisal=appraisal, actor=actor, resolution=_("Result unchanged: %(why)s") % {"why": opinion})


def objection_withdrawn(*, appraisal: Appraisal, request, actor) -> None:
    try:
        locked = _transition(appraisal, "withdraw_objection", actor, timezone.localdate())
    except ValidationError as exc:
        raise approvals.ApprovalError(exc.messages[0]) from None
    locked.save(update_fields=["status", "updated_at"])
    _event(locked, actor, "objection_withdrawn")


def _require_hr(actor):
    if not actor_is_hr(actor):
        raise PermissionDenied


def _display(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return getattr(value, "name", None) or str(value)


@transaction.atomic
def appraisal_set_followup(
    *,
    appraisal: Appraisal,
    actor,
    bonus_coefficient: Decimal | None,
    promotion_recommended: bool,
    improvement_plan: str = "",
    improvement_owner=None,
    improvement_due: date | None = None,
) -> Appraisal:
    _require_hr(actor)
    locked = _locked(appraisal)
    if locked.cycle.stage not in (Stage.PUBLISHED, Stage.CLOSED):
        raise ValidationError(_("Follow-up is recorded once the results are published."))
    improvement_plan = (improvement_plan or "").strip()
    if improvement_plan:
        if locked.result_grade != Grade.FAIL:
            raise ValidationError(_("An improvement plan is for a “Fail” result."))
        if not improvement_owner or not improvement_due:
            raise ValidationError(_("An improvement plan needs an owner and a due date."))
    fields = {
        "bonus_coefficient": bonus_coefficient,
        "promotion_recommended": promotion_recommended,
        "improvement_plan": improvement_plan,
        "improvement_owner": improvement_owner,
        "improvement_due": improvement_due,
    }
    changes = {}
    for name, value in fields.items():
        old = getattr(locked, name)
        if old != value:
            changes[name] = [_display(old), _display(value)]
            setattr(locked, name, value)
    if changes:
        locked.save()
        _event(locked, actor, "followup", changes)
    return locked


@transaction.atomic
def appraisal_exclude(*, appraisal: Appraisal, actor, reason: str, exclude: bool = True) -> Appraisal:
    _require_hr(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A reason is required."))
    locked = _locked(appraisal)
    if locked.cycle.stage in (Stage.PUBLISHED, Stage.CLOSED):
        raise ValidationError(_("The results are published; the cycle's participants can no longer change."))
    locked.is_excluded = exclude
    locked.excluded_reason = reason if exclude else ""
    locked.save(update_fields=["is_excluded", "excluded_reason", "updated_at"])
    _event(locked, actor, "excluded" if exclude else "included", {}, reason)
    return locked


@transaction.atomic
def appraisal_add(*, cycle: Cycle, employee, actor, reason: str) -> Appraisal:
    """HR adds someone the rules left out (e.g. joined after the cut-off), or re-includes."""
    _require_hr(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A reason is required."))
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.stage in (Stage.PUBLISHED, Stage.CLOSED):
        raise ValidationError(_("The results are published; the cycle's participants can no longer change."))
    existing = Appraisal.objects.filter(cycle=cycle, employee=employee).first()
    if existing:
        if not existing.is_excluded:
            raise ValidationError(_("%(name)s is already in this cycle.") % {"name": employee.name})
        return appraisal_exclude(appraisal=existing, actor=actor, reason=reason, exclude=False)
    row = build_appraisals(
        cycle,
        [
            {
                "id": employee.pk,
                "department_id": employee.department_id,
                "position_id": employee.position_id,
                "manager_id": employee.manager_id,
            }
        ],
    )[0]
    row.save()
    _event(row, actor, "added", reason=reason)
    return row


@transaction.atomic
def appraisal_reassign_reviewer(*, appraisal: Appraisal, actor, reviewer, reason: str) -> Appraisal:
    _require_hr(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A reason is required."))
    if reviewer.pk == appraisal.employee_id:
        raise ValidationError(_("Nobody reviews their own appraisal."))
    locked = _locked(appraisal)
    if locked.cycle.stage in (Stage.PUBLISHED, Stage.CLOSED):
        raise ValidationError(_("The results are published; the reviewer can no longer change."))
    before = locked.reviewer.name if locked.reviewer_id else None
    locked.reviewer = reviewer
    locked.save(update_fields=["reviewer", "updated_at"])
    _event(locked, actor, "reviewer_changed", {"reviewer": [before, reviewer.name]}, reason)
    notify(
        recipient=reviewer,
        kind="appraisals.reviewer_assigned",
        title=_("You now review the %(code)s appraisal of %(name)s")
        % {"code": locked.cycle.code, "name": locked.employee.name},
        url=locked.get_absolute_url(),
    )
    return locked


# --- peers (360) -------------------------------------------------------------------------


@transaction.atomic
def peer_invite(*, appraisal: Appraisal, actor, peers, criteria: list[int], deadline: date) -> int:
    if not (actor_is_hr(actor) or appraisal.reviewer_id == actor.pk):
        raise PermissionDenied
    if appraisal.cycle.stage not in (Stage.SELF, Stage.REVIEW):
        raise ValidationError(_("Peer feedback can be asked for only before calibration."))
    known = {c["id"] for c in appraisal.form.criteria}
    criteria = [int(c) for c in criteria if int(c) in known]
    if not criteria:
        raise ValidationError(_("Choose at least one criterion."))
    peers = [p for p in peers if p.pk not in (appraisal.employee_id, appraisal.reviewer_id)]
    if not peers:
        raise ValidationError(_("Choose at least one colleague (not the employee or the reviewer)."))
    rows = [
        PeerReview(appraisal=appraisal, peer=p, criteria=criteria, deadline=deadline, invited_by=actor) for p in peers
    ]
    created = PeerReview.objects.bulk_create(rows, ignore_conflicts=True)
    title = _("Please give feedback on %(name)s by %(date)s") % {"name": appraisal.employee.name, "date": deadline}
    # each peer's link opens their own feedback form (the appraisal itself is not theirs to see)
    for review in PeerReview.objects.filter(appraisal=appraisal, peer__in=peers, submitted_at=None).select_related(
        "peer"
    ):
        notify(
            recipient=review.peer,
            kind="appraisals.peer_invited",
            title=title,
            url=reverse("appraisals:peer_feedback", args=[review.pk]),
        )
    _event(appraisal, actor, "peers_invited", {"peers": [None, "、".join(p.name for p in peers)]})
    return len(created)


@transaction.atomic
def peer_submit(*, review: PeerReview, actor, comments: dict, today: date | None = None) -> PeerReview:
    today = today or timezone.localdate()
    locked = PeerReview.objects.select_for_update().get(pk=review.pk)
    if locked.peer_id != actor.pk:
        raise PermissionDenied
    if locked.submitted_at or today > locked.deadline:
        raise ValidationError(_("The feedback is closed."))
    texts = {str(c): str(comments.get(str(c)) or "").strip() for c in locked.criteria}
    if not any(texts.values()):
        raise ValidationError(_("Write feedback on at least one criterion."))
    locked.comments = texts
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["comments", "submitted_at"])
    return locked


# --- cycles ------------------------------------------------------------------------------


def publish_problems(cycle: Cycle) -> list[str]:
    """Why the cycle cannot be published now ([] if it can)."""
    from .selectors import cycle_grade_counts

    problems = []
    pending = Appraisal.objects.filter(cycle=cycle, is_excluded=False).exclude(status=Status.REVIEWED).count()
    if pending:
        problems.append(
            _("%(n)d appraisals have no submitted manager review yet: finish or exclude them.") % {"n": pending}
        )
    if cycle.distribution_is_hard:
        rows = scoring.distribution(cycle_grade_counts(cycle), cycle.forced_distribution)
        for row in scoring.distribution_breaches(rows):
            if row.over:
                problems.append(
                    _("“%(grade)s” is %(pct)s %% of the company; at most %(limit)s %% is allowed.")
                    % {"grade": row.label, "pct": row.percent, "limit": row.max_percent}
                )
            else:
                problems.append(
                    _("“%(grade)s” is %(pct)s %% of the company; at least %(limit)s %% is required.")
                    % {"grade": row.label, "pct": row.percent, "limit": row.min_percent}
                )
    return problems


@transaction.atomic
def cycle_transition(
    *, cycle: Cycle, action: str, actor=None, system: bool = False, from_stage: str | None = None
) -> Cycle:
    """from_stage: the stage the person saw; a click on a page showing an older stage (a
    double click, a second tab) changes nothing instead of moving the cycle on again."""
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if from_stage is not None and locked.stage != from_stage:
        raise ValidationError(
            _("The cycle has moved on since this page was shown (now: “%(stage)s”); nothing was changed.")
            % {"stage": locked.get_stage_display()}
        )
    rule = CYCLE_TRANSITIONS.get((locked.stage, action))
    if rule is None:
        raise ValidationError(_("The cycle is already past this step."))
    new_stage, who = rule
    if not (("system" in who and system) or ("hr" in who and actor_is_hr(actor))):
        raise PermissionDenied
    if action == "publish":
        problems = publish_problems(locked)
        if problems:
            raise ValidationError(problems)
        locked.published_at = timezone.now()
        Appraisal.objects.filter(cycle=locked, is_excluded=False, status=Status.REVIEWED).update(
            status=Status.PUBLISHED, updated_at=timezone.now()
        )
    before = locked.stage
    locked.stage = new_stage
    locked.save(update_fields=["stage", "published_at"])
    CycleEvent.objects.create(cycle=locked, actor=actor, action=action, detail={"from": before, "to": new_stage})
    _notify_stage(locked)
    return locked


def _notify_stage(cycle: Cycle) -> None:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    live = Appraisal.objects.filter(cycle=cycle, is_excluded=False)
    # A new stage: what the previous one asked of people is over (done, or no longer possible).
    resolve(subject=cycle, kinds=STAGE_ASKS)
    if cycle.stage == Stage.REVIEW:
        ids = set(live.exclude(reviewer=None).values_list("reviewer_id", flat=True))
        notify_many(
            recipients=[User(pk=i) for i in ids],
            kind="appraisals.review_open",
            title=_("Appraisal %(code)s: manager reviews are open") % {"code": cycle.code},
            url=reverse("appraisals:cycle_team", args=[cycle.code]),
            subject=cycle,
        )
    elif cycle.stage == Stage.PUBLISHED:
        ids = live.values_list("employee_id", flat=True)
        notify_many(
            recipients=[User(pk=i) for i in ids],
            kind="appraisals.published",
            title=_("Your %(code)s appraisal result is published") % {"code": cycle.code},
            url=reverse("appraisals:home"),
        )


def appraisal_stages_advance_due(*, today: date) -> list[tuple[str, str]]:
    """Scheduled: move every cycle whose stage deadline has passed to its next stage
    (self → review → calibration; published → closed). Publishing stays HR's decision.
    State-based: a missed run catches up, a second run does nothing."""
    moved = []
    due = {Stage.SELF: "self_deadline", Stage.REVIEW: "review_deadline", Stage.PUBLISHED: "close_date"}
    for cycle in Cycle.objects.filter(stage__in=list(due)).order_by("period_end"):
        while cycle.stage in due and getattr(cycle, due[cycle.stage]) < today:
            action = "close" if cycle.stage == Stage.PUBLISHED else "advance"
            cycle = cycle_transition(cycle=cycle, action=action, system=True)
            moved.append((cycle.code, cycle.stage))
    return moved


@transaction.atomic
def cycle_update_settings(*, cycle: Cycle, actor, **fields) -> Cycle:
    _require_hr(actor)
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    bands = fields.get("grade_bands")
    if bands is not None and bands != locked.grade_bands and locked.stage != Stage.SELF:
        # grades already computed with the old bands would silently disagree with the new ones
        raise ValidationError(_("Grade bands can change only during self-assessment, before any review is graded."))
    for name, value in fields.items():
        setattr(locked, name, value)
    if not (locked.self_deadline <= locked.review_deadline <= locked.calibration_deadline <= locked.close_date):
        raise ValidationError(
            _("Deadlines must follow the stages: self-assessment, review, calibration, acknowledgement.")
        )
    locked.save()
    CycleEvent.objects.create(
        cycle=locked, actor=actor, action="settings", detail={k: str(v) for k, v in fields.items()}
    )
    return locked


# --- templates ---------------------------------------------------------------------------


def check_weights(weights) -> None:
    total = sum((Decimal(str(w)) for w in weights), Decimal(0))
    if total != Decimal(100):
        raise ValidationError(
            _("The weights add up to %(total)s; they must add up to exactly 100.")
            % {"total": format(total.normalize(), "f")}
        )


@transaction.atomic
def template_save(
    *, template: Template | None, actor, data: dict, criteria: list[dict], departments=(), positions=()
) -> Template:
    """Save a template with its criteria (all of them: absent ones are deleted). Refuses
    weights that do not sum to 100."""
    _require_hr(actor)
    if not criteria:
        raise ValidationError(_("A template needs at least one criterion."))
    check_weights(c["weight"] for c in criteria)
    template = template or Template()
    for name, value in data.items():
        setattr(template, name, value)
    if template.is_default:
        Template.objects.exclude(pk=template.pk).filter(is_default=True).update(is_default=False)
    template.save()
    template.departments.set(departments)
    template.positions.set(positions)
    keep = []
    for order, row in enumerate(criteria):
        pk = row.pop("id", None)
        obj = Criterion.objects.filter(template=template, pk=pk).first() if pk else None
        obj = obj or Criterion(template=template)
        for name, value in row.items():
            setattr(obj, name, value)
        obj.sort_order = order
        obj.save()
        keep.append(obj.pk)
    template.criteria.exclude(pk__in=keep).delete()
    return template


def stage_nudge(*, cycle: Cycle, actor, stage: str, today: date | None = None) -> int | None:
    """催办 from a department head: remind whoever the team's appraisals wait for in the
    cycle's current stage (employees who have not filled in or acknowledged, reviewers who
    have not reviewed). Once a day per cycle stage and team (apps/notifications/nudges.py);
    None when already nudged today. `stage` is the stage the head saw: a cycle that moved on
    meanwhile is refused rather than nudging for the wrong step."""
    from django.utils.translation import gettext_noop

    from apps.departments.permissions import team_departments, team_scope_key
    from apps.notifications.nudges import nudge_once

    from .home import NUDGE_KIND
    from .selectors import WAITING_IN_STAGE, stage_laggards

    team = team_departments(actor)
    if not team or not actor.has_perm("appraisals.nudge_team"):
        raise PermissionDenied
    if stage != cycle.stage or cycle.stage not in WAITING_IN_STAGE:
        raise ValidationError(_("The cycle has moved on; there is nothing to nudge about in this step."))
    return nudge_once(
        kind=NUDGE_KIND,
        thing=f"{cycle.code}:{cycle.stage}",
        scope=team_scope_key(actor),
        day=today or timezone.localdate(),
        actor=actor,
        recipients=stage_laggards(cycle, departments=team),
        title=gettext_noop("Your department head reminds you: appraisal %(code)s is waiting for your part"),
        params={"code": cycle.code},
        url=reverse("appraisals:home"),
    )
