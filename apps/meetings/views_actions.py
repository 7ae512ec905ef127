"""Action items (the one list, an action's page and its steps), reports, decision
follow-ups and the calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from . import documents, ics, selectors, services
from .forms import ActionFilterForm, ActionStepForm
from .models import (
    ACTION_TONES,
    ActionItem,
    ActionStatus,
    ActionUpdate,
    CalendarToken,
    Decision,
    FollowUpKind,
    Meeting,
)

PAGE_SIZE = 30
SCOPES = ("mine", "department", "overdue", "all")


def scope_labels() -> list[tuple[str, str]]:
    return [
        ("mine", pgettext("actions", "Mine")),
        ("department", _("My department's")),
        ("overdue", _("Overdue")),
        ("all", _("All I can see")),
    ]


def action_or_404(user, pk) -> ActionItem:
    action = (
        ActionItem.objects.select_related(
            "meeting__organiser", "meeting__department", "owner", "department", "decision"
        )
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404
    if not (user.has_perm("meetings.view_action", action) or user.has_perm("meetings.view_meeting", action.meeting)):
        raise Http404
    return action


@login_required
def action_list(request):
    today = timezone.localdate()
    scope = request.GET.get("scope", "mine")
    if scope not in SCOPES:
        scope = "mine"
    base = selectors.action_scope(request.user, scope=scope, today=today)
    form = ActionFilterForm(request.GET or None, series_choices=selectors.series_in(base))
    qs = selectors.filter_actions(base, form.cleaned_data if form.is_valid() else {})
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {value: str(label) for value, label in ActionStatus.choices}
    for a in page.object_list:  # ready-made for the template: 30 rows render without lookups
        a.label, a.tone, a.late = labels[a.status], ACTION_TONES[a.status], a.is_open and a.due_date < today
    return render(
        request,
        "meetings/action_list.html",
        {
            "page_obj": page,
            "form": form,
            "scope": scope,
            "scopes": scope_labels(),
            "today": today,
            "action_prefix": reverse("meetings:actions"),
            "meeting_prefix": reverse("meetings:index") + "m/",
        },
    )


@login_required
def action_page(request, pk, form=None):
    action = action_or_404(request.user, pk)
    steps = services.allowed_steps(request.user, action)
    return render(
        request,
        "meetings/action.html",
        {
            "action": action,
            "links": list(action.links.all()),
            "updates": list(action.updates.select_related("author")),
            "steps": steps,
            "form": form or ActionStepForm(initial={"from_status": action.status}),
            "today": timezone.localdate(),
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_POST
def action_step(request, pk):
    action = action_or_404(request.user, pk)
    form = ActionStepForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return action_page(request, pk, form=form)
    d = form.cleaned_data
    try:
        services.action_transition(
            actor=request.user,
            action=action,
            step=d["step"],
            note=d["note"],
            progress=d["progress"],
            evidence=d["evidence"],
            due_date=d["due_date"],
            from_status=d["from_status"] or None,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
        return action_page(request, pk, form=form)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("meetings:action", action.pk)


@login_required
def evidence(request, pk, update_pk):
    action = action_or_404(request.user, pk)
    update = get_object_or_404(ActionUpdate, pk=update_pk, action=action)
    if not update.evidence:
        raise Http404
    return FileResponse(
        update.evidence.open("rb"), as_attachment=True, filename=update.evidence.name.rsplit("/", 1)[-1]
    )


# ---------------------------------------------------------------- follow-ups


FOLLOW_UP_TARGETS = {
    FollowUpKind.PROCESS_CHANGE: "processes:cr_create",
    FollowUpKind.POLICY_DRAFT: "policies:create",
    FollowUpKind.INDICATOR_TARGET: "kpis:targets",
}


@login_required
def follow_up(request, pk):
    """One click from a decision to work elsewhere: the back-reference is kept here, then the
    other module's own create page opens (with the decision's text offered as its reason)."""
    decision = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)
    meeting = decision.meeting
    if not request.user.has_perm("meetings.view_meeting", meeting):
        raise Http404
    kind = request.POST.get("kind") or request.GET.get("kind", "")
    if kind not in FollowUpKind.values:
        raise Http404
    error = period_error = ""
    code = (request.POST.get("code") or "").strip()
    period_text = (request.POST.get("period") or "").strip()
    if request.method == "GET" and kind == FollowUpKind.INDICATOR_TARGET:
        # Prefilled from the indicator an action of this decision is linked to, and the
        # period the meeting falls in at that indicator's frequency.
        code, period_text = selectors.indicator_follow_up_initial(decision)
    if request.method == "POST":
        from django.apps import apps

        target_url, label = "", ""
        if kind == FollowUpKind.POLICY_DRAFT:
            target_url, label = reverse("policies:create"), _("New regulation draft")
        elif kind == FollowUpKind.PROCESS_CHANGE:
            process = apps.get_model("processes", "Process").objects.filter(code__iexact=code).first()
            if process is None:
                error = _("No process with the code “%(code)s”.") % {"code": code}
            else:
                target_url, label = reverse("processes:cr_create", args=[process.code]), str(process.name)
        else:
            indicator = (
                apps.get_model("kpis", "Indicator")
                .objects.select_related("department")
                .filter(code__iexact=code)
                .first()
            )
            period = None
            if indicator is None:
                error = _("No indicator with the code “%(code)s”.") % {"code": code}
            else:
                period, period_error = selectors.follow_up_period(indicator, period_text, meeting)
            if not (error or period_error):
                target_url = reverse("kpis:targets", args=[indicator.pk, period.year])
                label = f"{indicator.code} {indicator.name} · {period.label} · {indicator.department.name}"
        if not (error or period_error):
            services.follow_up_record(
                actor=request.user, decision=decision, kind=kind, target_label=label, target_url=target_url
            )
            from urllib.parse import urlencode

            back = request.build_absolute_uri(decision.get_absolute_url())
            text = _("From the decision of %(meeting)s: %(text)s (%(url)s)") % {
                "meeting": str(meeting),
                "text": decision.text,
                "url": back,
            }
            prefill = {"from_decision": decision.pk}
            if kind == FollowUpKind.PROCESS_CHANGE:
                prefill.update(title=decision.text[:120], reason=text)
            elif kind == FollowUpKind.POLICY_DRAFT:
                prefill.update(title=decision.text[:120], change_summary=text)
            else:  # the targets page opens on that period, with the decision as its note and a way back
                prefill.update(period=period.key, note=text[:300], back=decision.get_absolute_url())
            return redirect(target_url + "?" + urlencode(prefill))
    return render(
        request,
        "meetings/follow_up.html",
        {
            "decision": decision,
            "meeting": meeting,
            "kind": kind,
            "kind_label": FollowUpKind(kind).label,
            "needs_code": kind != FollowUpKind.POLICY_DRAFT,
            "needs_period": kind == FollowUpKind.INDICATOR_TARGET,
            "code": code,
            "period": period_text,
            "period_error": period_error,
            "error": error,
        },
        status=400 if error else 200,
    )


# ---------------------------------------------------------------- reports


def _report_data(user):
    today = timezone.localdate()
    return {
        "by_department": selectors.completion_by(user, field="department", label_field="department__name", today=today),
        "by_series": selectors.completion_by(
            user, field="meeting__series", label_field="meeting__series__title", today=today
        ),
        "attendance": selectors.attendance_by_person(user, today=today),
    }


@login_required
def reports(request):
    if not request.user.has_perm("meetings.view_reports"):
        raise Http404
    data = _report_data(request.user)
    chart = {
        "labels": [r["label"] for r in data["by_department"]],
        "rate": [r["rate"] for r in data["by_department"]],
        "overdue": [r["overdue"] for r in data["by_department"]],
        "rate_label": _("Completion rate (%)"),
        "overdue_label": _("Overdue"),
    }
    return render(request, "meetings/reports.html", {**data, "chart": chart})


@login_required
def reports_xlsx(request):
    if not request.user.has_perm("meetings.view_reports"):
        raise Http404
    data = _report_data(request.user)
    head = [_("Actions"), _("Finished"), _("Completion rate (%)"), _("Overdue")]

    def rows(items):
        return [[r["label"], r["total"], r["finished"], r["rate"], r["overdue"]] for r in items]

    sheets = [
        (_("By department"), [[_("Department"), *head], *rows(data["by_department"])]),
        (_("By series"), [[_("Series"), *head], *rows(data["by_series"])]),
        (
            _("Attendance"),
            [
                [
                    _("Name"),
                    _("Department"),
                    _("Meetings"),
                    _("Present"),
                    _("Excused"),
                    _("Absent"),
                    _("Attendance rate (%)"),
                ],
                *[
                    [r["name"], r["department"], r["meetings"], r["present"], r["excused"], r["absent"], r["rate"]]
                    for r in data["attendance"]
                ],
            ],
        ),
    ]
    response = HttpResponse(
        documents.to_xlsx(sheets), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="meetings-report.xlsx"'
    return response


# ---------------------------------------------------------------- calendar feed


@login_required
def calendar_settings(request):
    if request.method == "POST":
        services.calendar_token_renew(user=request.user)
        messages.success(request, _("A new calendar address is made; the old one no longer works."))
        return redirect("meetings:calendar")
    token = services.calendar_token(request.user)
    url = request.build_absolute_uri(reverse("meetings:feed", args=[token.token]))
    return render(request, "meetings/calendar.html", {"feed_url": url})


FEED_PAST_DAYS = 90


@login_not_required
def feed(request, token):
    """The personal iCalendar feed: no login (calendar apps cannot sign in), the token is the
    key; an unknown or revoked token is a 404."""
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        raise Http404
    since = timezone.localdate() - timezone.timedelta(days=FEED_PAST_DAYS)
    meetings = (
        Meeting.objects.filter(attendees__user=found.user, date__gte=since)
        .select_related("organiser")
        .order_by("date", "start_time")
    )
    body = ics.feed(meetings, name=_("Meetings of %(name)s") % {"name": found.user.name})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
