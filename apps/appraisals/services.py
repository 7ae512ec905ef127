"""Every write of the appraisal module. Keyword-only, one transaction each, history in the
same transaction; status changes only through the transition tables below, on a locked row."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import is_admin, is_hr
from apps.approvals import services as approvals
from apps.core.statemachine import TransitionError, transition
from apps.notifications.models import Notification
from apps.notifications.services import addresses, create_notifications, notify, notify_many, resolve

from . import kpi_binding, scoring
from .machines import CYCLE
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
    check_dates,
)

# (cycle stage, action) -> next stage. "system" = the scheduler may do it too.
CYCLE_TRANSITIONS = {
    (Stage.SELF, "advance"): (Stage.REVIEW, {"hr", "system"}),
    (Stage.REVIEW, "advance"): (Stage.CALIBRATION, {"hr", "system"}),
    (Stage.CALIBRATION, "publish"): (Stage.PUBLISHED, {"hr"}),
    (Stage.PUBLISHED, "close"): (Stage.CLOSED, {"hr", "system"}),
    (Stage.REVIEW, "back"): (Stage.SELF, {"hr"}),
    (Stage.CALIBRATION, "back"): (Stage.REVIEW, {"hr"}),
}
BACK_TO = {Stage.REVIEW: Stage.SELF, Stage.CALIBRATION: Stage.REVIEW}
STAGE_DEADLINE = {
    Stage.SELF: "self_deadline",
    Stage.REVIEW: "review_deadline",
    Stage.CALIBRATION: "calibration_deadline",
    Stage.PUBLISHED: "close_date",
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


# Free text on an appraisal: what the page states beside the boxes and the service enforces.
COMMENT_LIMIT = 1000  # a criterion's comment or reason
SUMMARY_LIMIT = 2000  # the employee's or the manager's summary


def _too_long(label: str, text: str, limit: int) -> str | None:
    if len(text) > limit:
        problem = _("%(name)s: at most %(limit)d characters (%(n)d typed).")
        return problem % {"name": label, "limit": limit, "n": len(text)}
    return None


def check_summary(summary: str) -> str:
    summary = summary.strip()
    problem = _too_long(_("Summary"), summary, SUMMARY_LIMIT)
    if problem:
        raise ValidationError(problem)
    return summary


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
        for field in ("comment", "reason"):
            problem = _too_long(c["name"], item.get(field, ""), COMMENT_LIMIT)
            if problem:
                errors.append(problem)
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
    locked.self_summary = check_summary(summary)
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
    locked.manager_summary = check_summary(summary)
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
def appraisals_calibrate_many(*, cycle: Cycle, actor, grades: dict, reason: str) -> int:
    """HR adjusts several final grades at once, one reason for all; returns how many changed.
    Only grades that differ from the stored ones change, so the same form sent twice changes
    nothing the second time; each reviewer gets one message however many were adjusted."""
    from django.contrib.auth import get_user_model

    _require_hr(actor)
    reason = (reason or "").strip()
    wanted = {int(k): v for k, v in grades.items() if str(k).isdigit() and v}
    if any(v not in Grade.values for v in wanted.values()):
        raise ValidationError(_("Choose a grade."))
    locked_cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked_cycle.stage != Stage.CALIBRATION:
        raise ValidationError(
            _("The cycle is in the “%(stage)s” stage; this step is not open.")
            % {"stage": locked_cycle.get_stage_display()}
        )
    rows = list(
        Appraisal.objects.select_for_update()
        .filter(cycle=locked_cycle, pk__in=list(wanted), is_excluded=False, status=Status.REVIEWED)
        .select_related("employee")
        .only("pk", "final_grade", "reviewer_id", "employee__display_name", "employee__username")
        .order_by("pk")
    )
    changed = [a for a in rows if a.final_grade != wanted[a.pk]]
    if not changed:
        return 0
    if not reason:
        raise ValidationError(_("A reason is required to adjust a grade."))
    now = timezone.now()
    events = []
    for a in changed:
        events.append(
            AppraisalEvent(
                appraisal_id=a.pk,
                actor=actor,
                action="calibrated",
                changes={"final_grade": [a.final_grade, wanted[a.pk]]},
                reason=reason,
            )
        )
        a.final_grade, a.calibration_reason, a.updated_at = wanted[a.pk], reason, now
    Appraisal.objects.bulk_update(changed, ["final_grade", "calibration_reason", "updated_at"])
    AppraisalEvent.objects.bulk_create(events)
    per_reviewer = {}
    for a in changed:
        if a.reviewer_id:
            per_reviewer.setdefault(a.reviewer_id, []).append(a.employee.name)
    User = get_user_model()
    url = reverse("appraisals:cycle_team", args=[locked_cycle.code])
    create_notifications(
        [
            Notification(
                recipient=User(pk=reviewer_id),
                kind="appraisals.calibrated",
                title=(_("HR adjusted the grade of %(name)s") % {"name": "、".join(names)})[:200],
                body=reason,
                url=url,
            )
            for reviewer_id, names in sorted(per_reviewer.items())
        ],
        emails=addresses(list(per_reviewer)),
    )
    return len(changed)


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


def _entered_stage_at(cycle: Cycle):
    """When the cycle last entered its current stage (None if history does not say)."""
    event = (
        CycleEvent.objects.filter(cycle=cycle, detail__to=cycle.stage)
        .exclude(action="settings")
        .order_by("-created_at", "-pk")
        .first()
    )
    return event.created_at if event else None


def back_problems(cycle: Cycle) -> list[str]:
    """Why the cycle cannot go back to its previous stage ([] if it can): something of the
    current stage was already done."""
    if cycle.stage not in BACK_TO:
        return [_("Only manager review and calibration can go back to the previous stage.")]
    live = Appraisal.objects.filter(cycle=cycle)
    if cycle.stage == Stage.REVIEW:
        entered = _entered_stage_at(cycle)
        # a review of someone who never self-assessed happens only in this stage; with the
        # history, any review submitted since the stage began counts too
        done = Q(self_submitted_at=None) & (~Q(manager_scores={}) | Q(reviewed_at__isnull=False))
        if entered is not None:
            done |= Q(reviewed_at__gte=entered)
        n = live.filter(done).count()
        if n:
            return [_("%(n)d manager reviews were already written in this stage; the cycle cannot go back.") % {"n": n}]
    else:
        n = live.exclude(calibration_reason="").count()
        if n:
            return [_("%(n)d grades were already calibrated; the cycle cannot go back.") % {"n": n}]
    return []


@transaction.atomic
def cycle_transition(
    *,
    cycle: Cycle,
    action: str,
    actor=None,
    system: bool = False,
    from_stage: str | None = None,
    reason: str = "",
    deadline: date | None = None,
    today: date | None = None,
) -> Cycle:
    """from_stage: the stage the person saw; a click on a page showing an older stage (a
    double click, a second tab) changes nothing instead of moving the cycle on again.
    action "back" (HR) needs a reason, and a new deadline for the stage it reopens when the
    old one has passed."""
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
    fields, detail = {}, {}
    if action == "publish":
        problems = publish_problems(locked)
        if problems:
            raise ValidationError(problems)
        fields["published_at"] = timezone.now()
    if action == "back":
        today = today or timezone.localdate()
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Say why the cycle goes back to the previous stage."))
        problems = back_problems(locked)
        if problems:
            raise ValidationError(problems)
        deadline_field = STAGE_DEADLINE[new_stage]
        if deadline:
            if deadline < today:
                raise ValidationError(_("The new deadline cannot be in the past."))
            fields[deadline_field] = deadline
        elif getattr(locked, deadline_field) < today:
            raise ValidationError(
                _("The deadline of that stage (%(date)s) has passed: give a new one.")
                % {"date": getattr(locked, deadline_field)}
            )
        dates = [
            fields.get(f, getattr(locked, f))
            for f in ("self_deadline", "review_deadline", "calibration_deadline", "close_date")
        ]
        if dates != sorted(dates):
            raise ValidationError(
                _("Deadlines must follow the stages: self-assessment, review, calibration, acknowledgement.")
            )
        detail = {"reason": reason}
        if deadline:
            detail["deadline"] = deadline.isoformat()
    before = locked.stage

    def history(outcome):
        CycleEvent.objects.create(
            cycle=locked, actor=actor, action=action, detail={"from": before, "to": new_stage, **detail}
        )

    try:
        transition(locked, machine=CYCLE, to=new_stage, expected=before, fields=fields, history=history)
    except TransitionError as exc:
        raise ValidationError(str(exc)) from None
    if action == "publish":
        Appraisal.objects.filter(cycle=locked, is_excluded=False, status=Status.REVIEWED).update(
            status=Status.PUBLISHED, updated_at=timezone.now()
        )
    _notify_stage(locked, back=action == "back")
    return locked


def step_recipients(cycle: Cycle, action: str) -> set[int]:
    """The people a stage step notifies (the confirm dialog says how many)."""
    live = Appraisal.objects.filter(cycle=cycle, is_excluded=False)
    target = CYCLE_TRANSITIONS.get((cycle.stage, action), (None,))[0]
    if target == Stage.REVIEW:  # reviews open (forward) or open again (back from calibration)
        return set(live.exclude(reviewer=None).values_list("reviewer_id", flat=True))
    if target == Stage.SELF:  # the self-assessment opens again for who has not submitted
        return set(live.filter(status=Status.SELF).values_list("employee_id", flat=True))
    if target == Stage.PUBLISHED:
        return set(live.filter(status=Status.REVIEWED).values_list("employee_id", flat=True))
    return set()


def _notify_stage(cycle: Cycle, *, back: bool = False) -> None:
    """Called after the move: `cycle.stage` is the new stage."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    live = Appraisal.objects.filter(cycle=cycle, is_excluded=False)
    # A new stage: what the previous one asked of people is over (done, or no longer possible).
    resolve(subject=cycle, kinds=STAGE_ASKS)
    if cycle.stage == Stage.REVIEW:
        ids = set(live.exclude(reviewer=None).values_list("reviewer_id", flat=True))
        title = (
            _("Appraisal %(code)s: manager reviews are open again until %(date)s")
            if back
            else _("Appraisal %(code)s: manager reviews are open")
        )
        notify_many(
            recipients=[User(pk=i) for i in ids],
            kind="appraisals.review_open",
            title=title % {"code": cycle.code, "date": cycle.review_deadline},
            url=reverse("appraisals:cycle_team", args=[cycle.code]),
            subject=cycle,
        )
    elif cycle.stage == Stage.SELF and back:
        ids = live.filter(status=Status.SELF).values_list("employee_id", flat=True)
        notify_many(
            recipients=[User(pk=i) for i in ids],
            kind="appraisals.self_open",
            title=_("Appraisal %(code)s: the self-assessment is open again until %(date)s")
            % {"code": cycle.code, "date": cycle.self_deadline},
            url=reverse("appraisals:home"),
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


@transaction.atomic
def cycle_remind_pending(*, cycle: Cycle, actor, today: date | None = None) -> int:
    """HR reminds whoever has not done their part of the current stage (the employees who
    have not submitted their self-assessment, the reviewers with reviews missing): at most
    once a day per stage, so a double click or a second tab sends nothing twice."""
    from django.contrib.auth import get_user_model

    _require_hr(actor)
    today = today or timezone.localdate()
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.stage not in (Stage.SELF, Stage.REVIEW):
        raise ValidationError(_("Reminders are for the self-assessment and the manager review."))
    if CycleEvent.objects.filter(
        cycle=locked, action="reminded", detail__stage=locked.stage, detail__date=today.isoformat()
    ).exists():
        raise ValidationError(_("They were already reminded today; remind them again tomorrow."))
    live = Appraisal.objects.filter(cycle=locked, is_excluded=False)
    if locked.stage == Stage.SELF:
        ids = set(live.filter(status=Status.SELF).values_list("employee_id", flat=True))
        title = _("Reminder: your %(code)s self-assessment is due on %(date)s")
        url = reverse("appraisals:home")
    else:
        ids = set(
            live.filter(status__in=(Status.SELF, Status.SUBMITTED))
            .exclude(reviewer=None)
            .values_list("reviewer_id", flat=True)
        )
        title = _("Reminder: the %(code)s manager reviews are due on %(date)s")
        url = reverse("appraisals:cycle_team", args=[locked.code])
    if not ids:
        raise ValidationError(_("Nobody is behind: there is nobody to remind."))
    User = get_user_model()
    notify_many(
        recipients=[User(pk=i) for i in sorted(ids)],
        kind="appraisals.stage_deadline",
        title=title % {"code": locked.code, "date": locked.current_deadline},
        url=url,
        subject=locked,  # resolved when they do their part (one open reminder per person)
    )
    CycleEvent.objects.create(
        cycle=locked,
        actor=actor,
        action="reminded",
        detail={"stage": locked.stage, "date": today.isoformat(), "people": len(ids)},
    )
    return len(ids)


@transaction.atomic
def appraisals_exclude_many(*, cycle: Cycle, ids, actor, reason: str) -> int:
    """Exclude several people at once (one reason for all). People already excluded are left
    as they are, so submitting the same form twice changes nothing the second time."""
    _require_hr(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A reason is required."))
    ids = [int(i) for i in ids if str(i).isdigit()]
    if not ids:
        raise ValidationError(_("Choose at least one person."))
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.stage in (Stage.PUBLISHED, Stage.CLOSED):
        raise ValidationError(_("The results are published; the cycle's participants can no longer change."))
    rows = list(
        Appraisal.objects.select_for_update()
        .filter(cycle=locked, pk__in=ids, is_excluded=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Appraisal.objects.filter(pk__in=rows).update(is_excluded=True, excluded_reason=reason, updated_at=timezone.now())
    AppraisalEvent.objects.bulk_create(
        [AppraisalEvent(appraisal_id=pk, actor=actor, action="excluded", reason=reason) for pk in rows]
    )
    return len(rows)


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
    check_dates(
        period_start=locked.period_start,
        period_end=locked.period_end,
        dates={
            f: getattr(locked, f)
            for f in ("cutoff_date", "self_deadline", "review_deadline", "calibration_deadline", "close_date")
        },
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
        subject=cycle,  # submitting or the last review resolves it, as the stage's own reminders
    )
