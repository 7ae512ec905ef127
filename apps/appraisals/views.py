"""Pages of the people appraised and their reviewers (HR pages: views_hr.py).
Anything a person may not see is a 404, never a 403."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.permissions import allowed_or_403, require_perm

from . import kpi_binding, scoring, selectors, services
from .forms import CalibrateForm, FollowupForm, PeerInviteForm, PersonReasonForm, ReasonForm, ResolveForm
from .models import GRADE_TONES, Appraisal, Cycle, Grade, PeerReview, Stage, Status

VIEW = "appraisals.view_appraisal"


def _appraisal_or_404(request, pk, perm=VIEW) -> Appraisal:
    """The appraisal if the user may `perm` on it: 404 for one they may not see, 403 for one
    they see but may not act on (apps/core/permissions.py)."""
    try:
        appraisal = selectors.appraisal_detail(pk)
    except Appraisal.DoesNotExist:
        raise Http404 from None
    return allowed_or_403(request.user, perm, appraisal, visible=VIEW)


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def home(request):
    user = request.user
    cycle = selectors.current_cycle()
    mine = list(selectors.my_appraisals(user))
    current = next((a for a in mine if cycle and a.cycle_id == cycle.pk), None)
    reviews = selectors.team_rows(user, cycle).count() if cycle else 0
    return render(
        request,
        "appraisals/home.html",
        {
            "cycle": cycle,
            "current": current,
            "history": [a for a in mine if a is not current],
            "reviews": reviews,
            "peer_requests": list(selectors.peer_requests_for(user)),
            "can_manage": user.has_perm("appraisals.manage"),
            "tones": GRADE_TONES,
        },
    )


def _score_rows(appraisal, self_scores, manager_scores, proposed, show_manager):
    rows = []
    for c in appraisal.form.criteria:
        key = str(c["id"])
        rows.append(
            {
                "c": c,
                "key": key,
                "self": self_scores.get(key) or {},
                "mgr": (manager_scores.get(key) or {}) if show_manager else {},
                "proposed": proposed.get(key),
            }
        )
    return rows


def _scores_from_post(criteria, post) -> dict:
    return {
        str(c["id"]): {
            "score": post.get(f"score-{c['id']}", ""),
            "comment": post.get(f"comment-{c['id']}", ""),
            "reason": post.get(f"reason-{c['id']}", ""),
        }
        for c in criteria
    }


def appraisal_detail(request, pk, *, posted=None, errors=None, status=200):
    appraisal = _appraisal_or_404(request, pk)
    user, today = request.user, timezone.localdate()
    is_employee = appraisal.employee_id == user.pk
    is_reviewer = appraisal.reviewer_id == user.pk
    is_hr = services.actor_is_hr(user)
    published = appraisal.status in (Status.PUBLISHED, Status.ACKNOWLEDGED, Status.OBJECTED, Status.RESOLVED)
    # The employee sees the manager's scores only once the results are published.
    show_manager = not is_employee or published or is_hr
    self_problem = services.action_check(appraisal, "self_save", user, today) if is_employee else None
    review_problem = services.action_check(appraisal, "review_save", user, today) if is_reviewer else None
    proposed = {}
    if is_reviewer and not review_problem:
        proposed = kpi_binding.proposed_scores(appraisal)
    self_scores = appraisal.self_scores
    manager_scores = appraisal.manager_scores
    if posted is not None:
        if is_employee and not self_problem:
            self_scores = posted
        elif is_reviewer and not review_problem:
            manager_scores = posted
    summary_value = None
    if posted is not None:
        summary_value = request.POST.get("summary", "")
    mode = "self" if is_employee and not self_problem else "review" if is_reviewer and not review_problem else "read"
    live_total, missing = scoring.partial_total(
        appraisal.form.criteria, manager_scores if mode == "review" else self_scores
    )
    ctx = {
        "a": appraisal,
        "cycle": appraisal.cycle,
        "mode": mode,
        "today": today,
        "rows": _score_rows(appraisal, self_scores, manager_scores, proposed, show_manager),
        "is_employee": is_employee,
        "is_reviewer": is_reviewer,
        "is_hr": is_hr,
        "published": published,
        "show_manager": show_manager,
        "self_problem": self_problem,
        "review_problem": review_problem,
        "summary_value": summary_value,
        "summary_limit": services.SUMMARY_LIMIT,
        "comment_limit": services.COMMENT_LIMIT,
        "errors": errors or [],
        "tones": GRADE_TONES,
        "live": {
            "total": live_total,
            "missing": missing,
            "grade": scoring.grade_for(live_total, appraisal.cycle.grade_bands) if not missing else "",
        },
        "grade_labels": dict(Grade.choices),
        "can_ack": is_employee and not services.action_check(appraisal, "acknowledge", user, today),
        "can_calibrate": is_hr and not services.action_check(appraisal, "calibrate", user, today),
        # Four eyes: an HR member never resolves their own objection (the engine asks the others).
        "can_resolve": is_hr and appraisal.status == Status.OBJECTED and appraisal.employee_id != user.pk,
        "can_followup": is_hr and appraisal.cycle.stage in (Stage.PUBLISHED, Stage.CLOSED) and published,
        "can_change_people": is_hr and appraisal.cycle.stage not in (Stage.PUBLISHED, Stage.CLOSED),
        "can_invite": request.user.has_perm("appraisals.invite_peers", appraisal)
        and appraisal.cycle.stage in (Stage.SELF, Stage.REVIEW)
        and not appraisal.is_excluded,
        "show_history": user.has_perm("appraisals.view_history", appraisal),
        "peer_feedback": selectors.peer_feedback_for(appraisal),
        # who was asked, never who answered (the counts are in peer_feedback)
        "peer_invites": (
            sorted({p.peer.name for p in appraisal.peer_reviews.select_related("peer")})
            if (is_hr or is_reviewer)
            else []
        ),
    }
    if ctx["show_history"]:
        ctx["events"] = list(selectors.appraisal_events(appraisal))
    if appraisal.objection_reason:
        ctx["objection_request"] = services.objection_request(appraisal)
    if ctx["can_calibrate"]:
        ctx["calibrate_form"] = CalibrateForm(initial={"final_grade": appraisal.final_grade})
    if ctx["can_ack"]:
        ctx["object_form"] = ReasonForm()
    if ctx["can_resolve"]:
        ctx["resolve_form"] = ResolveForm()
    if ctx["can_followup"]:
        ctx["followup_form"] = FollowupForm(
            initial={
                "bonus_coefficient": appraisal.bonus_coefficient,
                "promotion_recommended": appraisal.promotion_recommended,
                "improvement_plan": appraisal.improvement_plan,
                "improvement_due": appraisal.improvement_due,
                "improvement_owner": appraisal.improvement_owner.username if appraisal.improvement_owner else "",
            }
        )
    if ctx["can_change_people"]:
        ctx["reviewer_form"] = PersonReasonForm(prefix="rv")
        ctx["exclude_form"] = ReasonForm(prefix="ex")
    if ctx["can_invite"]:
        ctx["invite_form"] = PeerInviteForm(criteria=appraisal.form.criteria, prefix="pi")
    return render(request, "appraisals/appraisal_detail.html", ctx, status=status)


@require_POST
def appraisal_self(request, pk):
    appraisal = _appraisal_or_404(request, pk, "appraisals.fill_self")
    scores = _scores_from_post(appraisal.form.criteria, request.POST)
    submit = "submit" in request.POST
    try:
        services.appraisal_save_self(
            appraisal=appraisal,
            actor=request.user,
            scores=scores,
            summary=request.POST.get("summary", ""),
            submit=submit,
        )
    except ValidationError as exc:
        return appraisal_detail(request, pk, posted=scores, errors=exc.messages, status=400)
    messages.success(request, _("Self-assessment submitted.") if submit else _("Draft saved."))
    return redirect("appraisals:appraisal", pk)


@require_POST
def appraisal_review(request, pk):
    appraisal = _appraisal_or_404(request, pk, "appraisals.review")
    scores = _scores_from_post(appraisal.form.criteria, request.POST)
    submit = "submit" in request.POST
    try:
        services.appraisal_save_review(
            appraisal=appraisal,
            actor=request.user,
            scores=scores,
            summary=request.POST.get("summary", ""),
            submit=submit,
        )
    except ValidationError as exc:
        return appraisal_detail(request, pk, posted=scores, errors=exc.messages, status=400)
    messages.success(request, _("Review submitted.") if submit else _("Draft saved."))
    return redirect("appraisals:appraisal", pk)


@require_POST
def appraisal_total(request, pk):
    """HTMX: the weighted total and grade of what is typed so far (nothing is saved)."""
    appraisal = _appraisal_or_404(request, pk)
    if not (
        request.user.has_perm("appraisals.fill_self", appraisal)
        or request.user.has_perm("appraisals.review", appraisal)
    ):
        raise PermissionDenied  # they see it (403, not 404)
    scores = _scores_from_post(appraisal.form.criteria, request.POST)
    total, missing = scoring.partial_total(appraisal.form.criteria, scores)
    grade = scoring.grade_for(total, appraisal.cycle.grade_bands) if not missing else ""
    return render(
        request,
        "appraisals/_total.html",
        {
            "live": {"total": total, "missing": missing, "grade": grade},
            "grade_labels": dict(Grade.choices),
            "tones": GRADE_TONES,
        },
    )


def _simple_action(request, pk, perm, call, ok_message):
    appraisal = _appraisal_or_404(request, pk, perm)
    try:
        call(appraisal)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, ok_message)
    return redirect("appraisals:appraisal", pk)


@require_POST
def appraisal_acknowledge(request, pk):
    return _simple_action(
        request,
        pk,
        "appraisals.fill_self",
        lambda a: services.appraisal_acknowledge(appraisal=a, actor=request.user),
        _("You acknowledged the result."),
    )


@require_POST
def appraisal_object(request, pk):
    return _simple_action(
        request,
        pk,
        "appraisals.fill_self",
        lambda a: services.appraisal_object(appraisal=a, actor=request.user, reason=request.POST.get("reason", "")),
        _("Your objection was sent to HR."),
    )


@require_POST
def appraisal_resolve(request, pk):
    return _simple_action(
        request,
        pk,
        "appraisals.manage",
        lambda a: services.appraisal_resolve_objection(
            appraisal=a,
            actor=request.user,
            resolution=request.POST.get("resolution", ""),
            final_grade=request.POST.get("final_grade", ""),
        ),
        _("Objection resolved."),
    )


@require_POST
def appraisal_calibrate(request, pk):
    return _simple_action(
        request,
        pk,
        "appraisals.manage",
        lambda a: services.appraisal_calibrate(
            appraisal=a,
            actor=request.user,
            final_grade=request.POST.get("final_grade", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("Grade adjusted."),
    )


def _form_action(request, pk, perm, form_factory, call, ok_message):
    appraisal = _appraisal_or_404(request, pk, perm)
    form = form_factory(appraisal)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("appraisals:appraisal", pk)
    return _simple_action(request, pk, perm, lambda a: call(a, form.cleaned_data), ok_message)


@require_POST
def appraisal_followup(request, pk):
    return _form_action(
        request,
        pk,
        "appraisals.manage",
        lambda a: FollowupForm(request.POST),
        lambda a, d: services.appraisal_set_followup(appraisal=a, actor=request.user, **d),
        _("Follow-up saved."),
    )


@require_POST
def appraisal_reviewer(request, pk):
    return _form_action(
        request,
        pk,
        "appraisals.manage",
        lambda a: PersonReasonForm(request.POST, prefix="rv"),
        lambda a, d: services.appraisal_reassign_reviewer(
            appraisal=a, actor=request.user, reviewer=d["person"], reason=d["reason"]
        ),
        _("Reviewer changed."),
    )


@require_POST
def appraisal_exclude(request, pk):
    include = request.POST.get("include") == "1"
    return _form_action(
        request,
        pk,
        "appraisals.manage",
        lambda a: ReasonForm(request.POST, prefix="ex"),
        lambda a, d: services.appraisal_exclude(
            appraisal=a, actor=request.user, reason=d["reason"], exclude=not include
        ),
        _("Included again.") if include else _("Excluded from the cycle."),
    )


@require_POST
def appraisal_invite_peers(request, pk):
    return _form_action(
        request,
        pk,
        "appraisals.invite_peers",
        lambda a: PeerInviteForm(request.POST, criteria=a.form.criteria, prefix="pi"),
        lambda a, d: services.peer_invite(
            appraisal=a, actor=request.user, peers=d["peers"], criteria=d["criteria"], deadline=d["deadline"]
        ),
        _("Colleagues invited."),
    )


def peer_feedback(request, pk):
    review = (
        PeerReview.objects.select_related("appraisal__employee", "appraisal__form", "appraisal__cycle")
        .filter(pk=pk)
        .first()
    )
    if review is None or not request.user.has_perm("appraisals.give_feedback", review):
        raise Http404
    criteria = [c for c in review.appraisal.form.criteria if c["id"] in review.criteria]
    closed = bool(review.submitted_at) or timezone.localdate() > review.deadline
    error = ""
    if request.method == "POST" and not closed:
        comments = {str(c["id"]): request.POST.get(f"comment-{c['id']}", "") for c in criteria}
        try:
            services.peer_submit(review=review, actor=request.user, comments=comments)
        except ValidationError as exc:
            error = _error_text(exc)
            review.comments = comments
        else:
            messages.success(request, _("Thank you, your feedback was sent."))
            return redirect("appraisals:home")
    return render(
        request,
        "appraisals/peer_feedback.html",
        {
            "review": review,
            "criteria": [(c, review.comments.get(str(c["id"]), "")) for c in criteria],
            "closed": closed,
            "error": error,
        },
        status=400 if error else 200,
    )


def team(request, code=None):
    cycle = Cycle.objects.filter(code=code).first() if code else selectors.current_cycle()
    if code and cycle is None:
        raise Http404
    rows = list(selectors.team_rows(request.user, cycle)) if cycle else []
    indirect = (
        Paginator(selectors.indirect_rows(request.user, cycle), 50).get_page(request.GET.get("page")) if cycle else None
    )
    return render(
        request,
        "appraisals/team.html",
        {
            "cycle": cycle,
            "rows": rows,
            "stats": selectors.team_stats(rows),
            "page_obj": indirect,
            "cycles": Cycle.objects.order_by("-period_end")[:8],
            "tones": GRADE_TONES,
            "zero": Decimal(0),
        },
    )


@require_POST
@require_perm("appraisals.nudge_team")
def nudge(request, code):
    """催办 from the home page: remind who my team's appraisals wait for in this stage."""
    from django.shortcuts import get_object_or_404
    from django.urls import reverse

    from apps.notifications.nudges import nudge_message

    cycle = get_object_or_404(Cycle, code=code)
    try:
        sent = services.stage_nudge(cycle=cycle, actor=request.user, stage=request.POST.get("stage", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        nudge_message(request, sent)
    return redirect(reverse("core:home"))
