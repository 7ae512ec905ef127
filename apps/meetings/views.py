"""Meeting pages: the list, a meeting, its form, the minutes editor and the minutes as print,
.docx and .ics. Thin: form -> service -> message -> redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import documents, ics, selectors, services
from .forms import ActionForm, CorrectionForm, DecisionForm, MeetingForm, SeriesForm, users_by_login
from .models import (
    Attendance,
    Decision,
    FollowUpKind,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    Series,
)


def meeting_or_404(user, pk) -> Meeting:
    meeting = Meeting.objects.select_related("department", "organiser", "minute_taker", "series").filter(pk=pk).first()
    if meeting is None or not user.has_perm("meetings.view_meeting", meeting):
        raise Http404
    return meeting


@login_required
def index(request):
    today = timezone.localdate()
    page = Paginator(selectors.recent_meetings(request.user, today=today), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/index.html",
        {
            "upcoming": selectors.upcoming_meetings(request.user, today=today),
            "page_obj": page,
            "series_list": Series.objects.filter(organiser=request.user, is_active=True),
            "can_create": request.user.has_perm("meetings.create_meeting"),
        },
    )


@login_required
def meeting_page(request, pk):
    try:
        meeting = selectors.meeting_page(pk, request.user)
    except Meeting.DoesNotExist:
        raise Http404 from None
    user = request.user
    versions = list(meeting.minutes_versions.select_related("issued_by").order_by("-number"))
    current = versions[0] if versions else None
    issued = next((v for v in versions if v.status == MinutesStatus.ISSUED), None)
    attendees = list(meeting.attendees.all())
    confirmation = services.confirmation_of(current) if current and meeting.confirm_days else None
    confirmed = services.confirmed_by(current) if confirmation is not None and current.is_confirming else set()
    waiting_for_me = (
        confirmation is not None
        and confirmation.is_pending
        and confirmation.tasks.filter(assignee=user, status="pending").exists()
    )
    counts = dict.fromkeys(Attendance.values, 0)
    labels = {value: str(label) for value, label in Attendance.choices}
    for a in attendees:  # ready-made for the template (60 rows render without lookups)
        counts[a.attendance] += 1
        a.label = labels[a.attendance]
        a.confirmed = a.user_id in confirmed
    agenda = list(meeting.agenda.all())
    if issued:  # the minutes as issued, even while a correction is being written
        issued_notes = {item["title"]: item["notes"] for item in issued.snapshot.get("agenda", [])}
        for item in agenda:
            item.issued_notes = issued_notes.get(item.title, "")
    return render(
        request,
        "meetings/meeting.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "attendees": attendees,
            "attendance_counts": [(label, counts[value]) for value, label in Attendance.choices if counts[value]],
            "decisions": list(meeting.decisions.all()),
            "actions": list(meeting.actions.all()),
            "carried": list(selectors.carried_over_actions(meeting)[:50]),
            "versions": versions,
            "current": current,
            "issued": issued,
            "confirmed": confirmed,
            "can_edit": user.has_perm("meetings.edit_meeting", meeting) and meeting.status == MeetingStatus.SCHEDULED,
            "can_minutes": user.has_perm("meetings.edit_minutes", meeting),
            "can_issue": user.has_perm("meetings.issue_minutes", meeting),
            "confirmation": confirmation,
            "can_confirm": bool(
                waiting_for_me and current.is_confirming and user.has_perm("meetings.confirm_minutes", meeting)
            ),
            "follow_up_kinds": [
                (FollowUpKind.PROCESS_CHANGE, _("Propose a process change"), "bi-diagram-3"),
                (FollowUpKind.POLICY_DRAFT, _("Start a regulation draft"), "bi-journal-plus"),
                (FollowUpKind.INDICATOR_TARGET, _("Set an indicator target"), "bi-bullseye"),
            ],
        },
    )


def _meeting_form(request, meeting=None, series=None):
    if meeting is None and not request.user.has_perm("meetings.create_meeting"):
        raise PermissionDenied
    initial = {}
    if meeting is None:
        initial = {"department": request.user.department_id, "duration_minutes": 60, "date": timezone.localdate()}
    form = MeetingForm(request.POST or None, instance=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        common = {
            "attendees": d["attendee_logins"],
            "departments": list(d["departments"]),
            "agenda": d["agenda_text"],
        }
        try:
            if meeting is None:
                meeting = services.meeting_create(
                    actor=request.user, organiser=request.user, **form.service_fields(), **common
                )
                messages.success(request, _("Meeting created; the attendees are invited."))
            else:
                meeting = services.meeting_update(
                    actor=request.user, meeting=meeting, **form.service_fields(), **common
                )
                messages.success(request, _("Meeting saved; the attendees are told of the changes."))
        except services.TransitionError as exc:
            messages.error(request, str(exc))
        else:
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
def meeting_create(request):
    return _meeting_form(request)


@login_required
def meeting_edit(request, pk):
    meeting = meeting_or_404(request.user, pk)
    if not request.user.has_perm("meetings.edit_meeting", meeting) or meeting.status != MeetingStatus.SCHEDULED:
        raise Http404
    return _meeting_form(request, meeting)


@login_required
@require_POST
def meeting_cancel(request, pk):
    meeting = meeting_or_404(request.user, pk)
    if not request.user.has_perm("meetings.edit_meeting", meeting):
        raise Http404
    try:
        services.meeting_cancel(actor=request.user, meeting=meeting)
        messages.success(request, _("Meeting cancelled; the attendees are told."))
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    return redirect(meeting)


@login_required
def meeting_ics(request, pk):
    meeting = meeting_or_404(request.user, pk)
    response = HttpResponse(ics.invitation(meeting, request.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# ---------------------------------------------------------------- series


@login_required
def series_create(request):
    if not request.user.has_perm("meetings.create_meeting"):
        raise PermissionDenied
    initial = {
        "department": request.user.department_id,
        "starts_on": timezone.localdate(),
        "start_time": "09:00",
        "horizon_days": 28,
    }
    form = SeriesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {k: d[k] for k in SeriesForm.Meta.fields}
        series = services.series_create(
            actor=request.user,
            organiser=request.user,
            attendees=d["attendee_logins"],
            departments=list(d["departments"]),
            **fields,
        )
        made = services.generate_series_meetings(
            today=timezone.localdate(), series_qs=Series.objects.filter(pk=series.pk)
        )
        messages.success(request, _("Series created with its next %(n)s meetings.") % {"n": made})
        return redirect(series)
    return render(request, "meetings/series_form.html", {"form": form})


@login_required
def series_page(request, pk):
    series = get_object_or_404(Series.objects.select_related("organiser", "department"), pk=pk)
    meetings = selectors.visible_meetings(request.user).filter(series=series).order_by("-date")
    page = Paginator(meetings, 20).get_page(request.GET.get("page"))
    if not page.object_list and series.organiser_id != request.user.pk:
        raise Http404
    return render(request, "meetings/series.html", {"series": series, "page_obj": page})


# ---------------------------------------------------------------- minutes


def _minutes_meeting(request, pk) -> Meeting:
    meeting = meeting_or_404(request.user, pk)
    if not request.user.has_perm("meetings.edit_minutes", meeting):
        raise Http404
    return meeting


@login_required
def minutes_edit(request, pk):
    meeting = _minutes_meeting(request, pk)
    current = services.current_minutes(meeting)
    attendees = list(meeting.attendees.select_related("user__department", "delegate").order_by("user__username"))
    agenda = list(meeting.agenda.select_related("presenter"))
    errors: list[str] = []
    if request.method == "POST":
        notes = {a.pk: request.POST.get(f"notes-{a.pk}", "").strip() for a in agenda}
        delegate_logins = {a.pk: request.POST.get(f"delegate-{a.pk}", "").strip() for a in attendees}
        found, unknown = users_by_login([x for x in delegate_logins.values() if x])
        if unknown:
            errors.append(_("Unknown delegate logins: %(names)s.") % {"names": "、".join(unknown)})
        attendance = {
            a.pk: (
                request.POST.get(f"att-{a.pk}", a.attendance),
                found.get(delegate_logins[a.pk].lower()) if delegate_logins[a.pk] else None,
            )
            for a in attendees
        }
        if not errors:
            try:
                services.minutes_save(
                    actor=request.user,
                    meeting=meeting,
                    summary=request.POST.get("summary", "").strip(),
                    notes=notes,
                    attendance=attendance,
                )
            except (ValidationError, services.TransitionError) as exc:
                errors.append(exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(request, _("Minutes saved."))
                return redirect("meetings:minutes", meeting.pk)
        # Keep what was typed.
        for a in agenda:
            a.notes = notes[a.pk]
        for a in attendees:
            a.attendance = attendance[a.pk][0]
            a.typed_delegate = delegate_logins[a.pk]
        summary = request.POST.get("summary", "")
    else:
        summary = current.summary if current else ""
    editable = current is None or current.status == MinutesStatus.DRAFT
    return render(
        request,
        "meetings/minutes_edit.html",
        {
            "meeting": meeting,
            "current": current,
            "editable": editable,
            "summary": summary,
            "agenda": agenda,
            "attendees": attendees,
            "attendance_choices": Attendance.choices,
            "delegate_value": Attendance.DELEGATE,
            "errors": errors,
            "decisions": list(meeting.decisions.select_related("agenda_item")),
            "actions": list(meeting.actions.select_related("owner", "decision").prefetch_related("links")),
            "decision_form": DecisionForm(meeting=meeting),
            "action_form": ActionForm(meeting=meeting),
            "can_issue": request.user.has_perm("meetings.issue_minutes", meeting),
        },
    )


def _back_to_minutes(meeting):
    return redirect(reverse("meetings:minutes", args=[meeting.pk]) + "#decisions")


@login_required
def decision_add(request, pk):
    meeting = _minutes_meeting(request, pk)
    form = DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        item = meeting.agenda.filter(pk=form.cleaned_data["agenda_item"]).first()
        try:
            services.decision_add(actor=request.user, meeting=meeting, text=form.cleaned_data["text"], agenda_item=item)
        except (ValidationError, services.TransitionError) as exc:
            messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Decision recorded."))
            return _back_to_minutes(meeting)
    return render(request, "meetings/decision_form.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def decision_delete(request, pk, decision_pk):
    meeting = _minutes_meeting(request, pk)
    decision = get_object_or_404(Decision, pk=decision_pk, meeting=meeting)
    try:
        services.decision_delete(actor=request.user, decision=decision)
        messages.success(request, _("Decision removed."))
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    return _back_to_minutes(meeting)


@login_required
def action_add(request, pk):
    meeting = _minutes_meeting(request, pk)
    form = ActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.action_add(
                actor=request.user,
                meeting=meeting,
                title=d["title"],
                owner=d["owner"],
                due_date=d["due_date"],
                expected_result=d["expected_result"],
                decision=meeting.decisions.filter(pk=d["decision"]).first() if d["decision"] else None,
                links=form.link_pairs(),
            )
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        except services.TransitionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Action item recorded; its owner is told."))
            return _back_to_minutes(meeting)
    return render(request, "meetings/action_form.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def action_remove(request, pk, action_pk):
    meeting = _minutes_meeting(request, pk)
    action = get_object_or_404(meeting.actions, pk=action_pk)
    try:
        services.action_delete(actor=request.user, action=action)
        messages.success(request, _("Action item removed."))
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    return _back_to_minutes(meeting)


@login_required
@require_POST
def minutes_step(request, pk, step):
    meeting = meeting_or_404(request.user, pk)
    user = request.user
    perm = {
        "confirm": "meetings.confirm_minutes",
        "request": "meetings.issue_minutes",
        "issue": "meetings.issue_minutes",
        "correct": "meetings.issue_minutes",
    }.get(step)
    if perm is None or not user.has_perm(perm, meeting):
        raise Http404
    done = {
        "confirm": _("Thank you: your confirmation is recorded."),
        "request": _("The attendees are asked to confirm the minutes."),
        "issue": _("Minutes issued and sent to the attendees."),
        "correct": _("A new version is open for the correction."),
    }[step]
    try:
        if step == "confirm":
            seen = request.POST.get("seen", "")
            services.minutes_confirm(
                actor=user,
                meeting=meeting,
                comment=request.POST.get("comment", ""),
                seen_version=int(seen) if seen.isdigit() else None,
            )
        elif step == "request":
            services.minutes_request_confirmation(actor=user, meeting=meeting)
        elif step == "issue":
            services.minutes_issue(actor=user, meeting=meeting)
        else:
            form = CorrectionForm(request.POST)
            services.minutes_correct(actor=user, meeting=meeting, reason=form.data.get("reason", ""))
            messages.success(request, done)
            return redirect("meetings:minutes", meeting.pk)
    except (ValidationError, services.TransitionError) as exc:
        messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, done)
    return redirect(meeting)


def _document(request, meeting):
    versions = {v.number: v for v in meeting.minutes_versions.all()}
    if not versions:
        raise Http404
    wanted = request.GET.get("v", "")
    version = versions.get(int(wanted)) if wanted.isdigit() else versions[max(versions)]
    if version is None:
        raise Http404
    return version, documents.minutes_document(meeting, version)


@login_required
def minutes_print(request, pk):
    meeting = meeting_or_404(request.user, pk)
    version, doc = _document(request, meeting)
    return render(request, "meetings/minutes_print.html", {"meeting": meeting, "version": version, "doc": doc})


@login_required
def minutes_docx(request, pk):
    meeting = meeting_or_404(request.user, pk)
    version, doc = _document(request, meeting)
    response = HttpResponse(
        documents.to_docx(doc),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}-v{version.number}.docx"'
    return response
