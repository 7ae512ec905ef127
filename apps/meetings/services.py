"""Writes to meetings, minutes and action items: keyword-only, one transaction each, the
notifications written in the same transaction (their mail is queued on commit). Statuses
change only through apps/core/statemachine.py (machines.py); the minutes' confirmation is an
approval on the approvals engine (kind "meetings.minutes")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.approvals import services as approvals
from apps.core.statemachine import TransitionError, transition, transition_many
from apps.departments.models import Department
from apps.scheduling.calendar import add_working_days
from apps.search.services import index_now

from . import links, notices
from .machines import ACTION, MEETING, MINUTES
from .models import (
    ActionEvent,
    ActionItem,
    ActionLink,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Attendee,
    CalendarToken,
    Decision,
    DecisionFollowUp,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    MinutesVersion,
    Series,
)
from .schedule import occurrences

User = get_user_model()
S = ActionStatus
MINUTES_KIND = "meetings.minutes"


@dataclass(frozen=True)
class AgendaLine:
    title: str
    presenter: object = None  # a User or None
    minutes: int | None = None


# ---------------------------------------------------------------- attendees


def department_members(departments) -> list:
    """Active people of these departments and their sub-departments (one query)."""
    paths = [d.path for d in departments]
    if not paths:
        return []
    q = Q()
    for p in paths:
        q |= Q(department__path__startswith=p)
    return list(User.objects.filter(q, is_active=True))


def _set_attendees(meeting: Meeting, people) -> tuple[list, list]:
    """Make the attendee list exactly `people` (organiser and minute-taker always in);
    returns (added, removed) users. Recorded attendance of those who stay is kept."""
    wanted = {p.pk: p for p in people}
    for p in (meeting.organiser, meeting.minute_taker):
        if p is not None:
            wanted[p.pk] = p
    existing = {a.user_id: a for a in meeting.attendees.select_related("user")}
    added = [p for pk, p in wanted.items() if pk not in existing]
    removed = [a.user for pk, a in existing.items() if pk not in wanted]
    Attendee.objects.bulk_create([Attendee(meeting=meeting, user=p) for p in added])
    if removed:
        meeting.attendees.filter(user_id__in=[u.pk for u in removed]).delete()
    meeting.__dict__.pop("_attendee_rows", None)
    return added, removed


def _set_agenda(meeting: Meeting, lines: list[AgendaLine]) -> None:
    """Replace the agenda, keeping the minutes already written for items whose title stays."""
    notes = {a.title: a.notes for a in meeting.agenda.all()}
    meeting.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                order=i,
                title=line.title,
                presenter=line.presenter,
                minutes_allotted=line.minutes,
                notes=notes.get(line.title, ""),
            )
            for i, line in enumerate(lines, start=1)
        ]
    )


# ---------------------------------------------------------------- meetings


@transaction.atomic
def meeting_create(
    *,
    actor,
    title: str,
    type: str,
    organiser,
    department: Department,
    date: date,
    start_time: time,
    duration_minutes: int = 60,
    minute_taker=None,
    place: str = "",
    link: str = "",
    confidential: bool = False,
    confirm_days: int = 0,
    attendees=(),
    departments=(),
    agenda: list[AgendaLine] = (),
    series: Series | None = None,
    planned_date: date | None = None,
) -> Meeting:
    meeting = Meeting.objects.create(
        series=series,
        title=title,
        type=type,
        organiser=organiser,
        minute_taker=minute_taker,
        department=department,
        place=place,
        link=link,
        date=date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        planned_date=planned_date,
        confidential=confidential,
        confirm_days=confirm_days,
    )
    meeting.invited_departments.set(departments)
    added, _removed = _set_attendees(meeting, [*attendees, *department_members(departments)])
    _set_agenda(meeting, list(agenda))
    notices.invite(meeting, [p for p in added if actor is None or p.pk != actor.pk])
    index_now(source="meetings", owner_ids=[meeting.pk])
    return meeting


CALENDAR_FIELDS = ("date", "start_time", "duration_minutes", "place", "link")


@transaction.atomic
def meeting_update(
    *,
    actor,
    meeting: Meeting,
    attendees,
    departments,
    agenda: list[AgendaLine],
    **fields,
) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise TransitionError(_("This meeting was cancelled; it can no longer be changed."))
    moved = any(k in fields and fields[k] != getattr(meeting, k) for k in CALENDAR_FIELDS)
    for name, value in fields.items():
        setattr(meeting, name, value)
    if moved or "title" in fields:
        meeting.sequence += 1
    meeting.save()
    meeting.invited_departments.set(departments)
    added, removed = _set_attendees(meeting, [*attendees, *department_members(departments)])
    _set_agenda(meeting, list(agenda))
    others = lambda people: [p for p in people if p.pk != actor.pk]  # noqa: E731
    notices.invite(meeting, others(added))
    if moved:
        added_ids = {p.pk for p in added}
        staying = [a.user for a in meeting.attendees.select_related("user") if a.user_id not in added_ids]
        notices.changed(meeting, others(staying))
    if removed:
        notices.cancelled(meeting, others(removed))
    index_now(source="meetings", owner_ids=[meeting.pk])
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise TransitionError(_("Only a meeting that has not taken place can be cancelled."))
    transition(
        meeting,
        machine=MEETING,
        to=MeetingStatus.CANCELLED,
        fields={"sequence": meeting.sequence + 1, "updated_at": timezone.now()},
    )
    people = [a.user for a in meeting.attendees.select_related("user") if a.user_id != actor.pk]
    notices.cancelled(meeting, people)
    index_now(source="meetings", owner_ids=[meeting.pk])
    return meeting


# ---------------------------------------------------------------- series


@transaction.atomic
def series_create(*, actor, attendees=(), departments=(), **fields) -> Series:
    series = Series.objects.create(**fields)
    series.attendees.set(attendees)
    series.attendee_departments.set(departments)
    return series


def standing_agenda(series: Series) -> list[AgendaLine]:
    return [AgendaLine(title=line.strip()[:300]) for line in series.agenda_template.splitlines() if line.strip()]


def generate_series_meetings(*, today: date, series_qs=None) -> int:
    """Make every series' meetings from today to its horizon that do not exist yet (one per
    series and planned date; a run repeated makes nothing twice). A planned date on a
    non-working day gives a meeting on the next working day that records the planned date."""
    from datetime import timedelta

    made = 0
    qs = series_qs if series_qs is not None else Series.objects.filter(is_active=True)
    for series in qs.select_related("organiser", "minute_taker", "department").prefetch_related(
        "attendees", "attendee_departments"
    ):
        pairs = occurrences(series, today, today + timedelta(days=series.horizon_days))
        if not pairs:
            continue
        have = set(
            Meeting.objects.filter(series=series, planned_date__in=[p for p, _d in pairs]).values_list(
                "planned_date", flat=True
            )
        )
        for planned, day in pairs:
            if planned in have:
                continue
            meeting_create(
                actor=None,
                title=series.title,
                type=series.type,
                organiser=series.organiser,
                minute_taker=series.minute_taker,
                department=series.department,
                date=day,
                start_time=series.start_time,
                duration_minutes=series.duration_minutes,
                place=series.place,
                link=series.link,
                confidential=series.confidential,
                confirm_days=series.confirm_days,
                attendees=list(series.attendees.all()),
                departments=list(series.attendee_departments.all()),
                agenda=standing_agenda(series),
                series=series,
                planned_date=planned,
            )
            made += 1
    return made


# ---------------------------------------------------------------- minutes


def current_minutes(meeting: Meeting) -> MinutesVersion | None:
    return meeting.minutes_versions.order_by("-number").first()


def _editable_minutes(meeting: Meeting, actor) -> MinutesVersion:
    """The draft to write into: the newest version if it is a draft, a first draft if there is
    none. Issued minutes are read-only (a correction opens a new version)."""
    version = MinutesVersion.objects.select_for_update().filter(meeting=meeting).order_by("-number").first()
    if version is None:
        return MinutesVersion.objects.create(meeting=meeting, number=1, created_by=actor)
    if version.status != MinutesStatus.DRAFT:
        raise TransitionError(
            _("The minutes are “%(status)s” and read-only; start a correction to change them.")
            % {"status": version.get_status_display()}
        )
    return version


@transaction.atomic
def minutes_save(
    *, actor, meeting: Meeting, summary: str, notes: dict[int, str], attendance: dict[int, tuple[str, object]]
) -> MinutesVersion:
    """Save the draft: summary, minutes per agenda item (agenda id -> text) and attendance
    (attendee id -> (status, delegate user or None))."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    version = _editable_minutes(meeting, actor)
    version.summary = summary
    version.save(update_fields=["summary"])
    items = {a.pk: a for a in meeting.agenda.all()}
    changed = [items[pk] for pk, text in notes.items() if pk in items and items[pk].notes != text]
    for item in changed:
        item.notes = notes[item.pk]
    AgendaItem.objects.bulk_update(changed, ["notes"])
    rows = {a.pk: a for a in meeting.attendees.all()}
    updated = []
    for pk, (status, delegate) in attendance.items():
        row = rows.get(pk)
        if row is None or status not in Attendance.values:
            continue
        if status == Attendance.DELEGATE and delegate is None:
            raise ValidationError(_("Name the delegate of everyone marked “Sent a delegate”."))
        row.attendance = status
        row.delegate = delegate if status == Attendance.DELEGATE else None
        updated.append(row)
    Attendee.objects.bulk_update(updated, ["attendance", "delegate"])
    return version


@transaction.atomic
def decision_add(*, actor, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None) -> Decision:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("A decision needs its text."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _editable_minutes(meeting, actor)
    return Decision.objects.create(meeting=meeting, agenda_item=agenda_item, text=text, created_by=actor)


@transaction.atomic
def decision_delete(*, actor, decision: Decision) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=decision.meeting_id)
    _editable_minutes(meeting, actor)
    if decision.actions.exclude(status=S.OPEN).exists():
        raise TransitionError(_("Actions of this decision are under way; it cannot be removed."))
    decision.actions.all().delete()
    decision.delete()


def _check_due(meeting: Meeting, due_date: date) -> None:
    if due_date < meeting.date:
        raise ValidationError(
            {"due_date": _("The due date cannot be before the meeting (%(d)s).") % {"d": f"{meeting.date:%Y-%m-%d}"}}
        )


def resolve_links(pairs: list[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    """(kind, typed text) -> (kind, ref, label, url); every problem at once."""
    out, errors = [], []
    for kind, text in pairs:
        try:
            out.append((kind, *links.resolve(kind, text)))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"links": errors})
    return out


@transaction.atomic
def action_add(
    *,
    actor,
    meeting: Meeting,
    title: str,
    owner,
    due_date: date,
    expected_result: str = "",
    decision: Decision | None = None,
    links: list[tuple[str, str]] = (),
) -> ActionItem:
    if not (title or "").strip():
        raise ValidationError({"title": _("Say what is to be done.")})
    _check_due(meeting, due_date)
    resolved = resolve_links(list(links))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _editable_minutes(meeting, actor)
    action = ActionItem.objects.create(
        meeting=meeting,
        decision=decision,
        title=title.strip(),
        owner=owner,
        department_id=owner.department_id,
        due_date=due_date,
        expected_result=expected_result,
    )
    ActionLink.objects.bulk_create(
        [ActionLink(action=action, kind=k, ref=ref, label=label[:300], url=url) for k, ref, label, url in resolved]
    )
    ActionUpdate.objects.create(action=action, event=ActionEvent.CREATED, author=actor)
    notices.send(
        [owner],
        kind=notices.ACTION_ASSIGNED,
        url=action.get_absolute_url(),
        title=gettext_lazy("Action item for you: %(title)s (due %(due)s)"),
        body=gettext_lazy("From the meeting “%(meeting)s”."),
        params={"title": action.title, "due": f"{due_date:%Y-%m-%d}", "meeting": meeting.title},
    )
    return action


@transaction.atomic
def action_delete(*, actor, action: ActionItem) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=action.meeting_id)
    _editable_minutes(meeting, actor)
    if action.status != S.OPEN:
        raise TransitionError(_("This action is under way; it cannot be removed."))
    action.delete()


def _document(meeting: Meeting, version: MinutesVersion) -> dict:
    from .documents import minutes_document

    return minutes_document(meeting, version, live=True)


def confirmation_of(version: MinutesVersion):
    """The version's confirmation request on the approvals engine (None if never asked)."""
    return approvals.request_for(MINUTES_KIND, version.pk)


def confirmed_by(version: MinutesVersion) -> set[int]:
    """Who confirmed this version (in its current submission): their engine tasks approved."""
    request = confirmation_of(version)
    if request is None:
        return set()
    from apps.approvals.models import Task

    rows = Task.objects.filter(
        request=request, stage__submission=request.submission, status=Task.Status.APPROVED
    ).values_list("assignee_id", "principal_id")
    return {principal or assignee for assignee, principal in rows}


@transaction.atomic
def minutes_request_confirmation(*, actor, meeting: Meeting, today: date | None = None) -> MinutesVersion:
    """Ask the attendees to confirm the draft within the meeting's `confirm_days` working days:
    an approval on the engine (every attendee confirms, 会签)."""
    today = today or timezone.localdate()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    version = _editable_minutes(meeting, actor)
    if not meeting.confirm_days:
        raise TransitionError(_("This meeting's minutes are issued without confirmation."))
    transition(
        version,
        machine=MINUTES,
        to=MinutesStatus.CONFIRMING,
        fields={"confirm_until": add_working_days(today, meeting.confirm_days)},
    )
    approvals.submit(
        kind=MINUTES_KIND,
        obj=version,
        proposer=actor,
        title=_("Minutes of “%(title)s” (version %(n)s)") % {"title": meeting.title, "n": version.number},
        today=today,
        opinion=_("Please confirm by %(until)s.") % {"until": f"{version.confirm_until:%Y-%m-%d}"},
    )
    return version


@transaction.atomic
def minutes_confirm(*, actor, meeting: Meeting, comment: str = "", seen_version: int | None = None):
    """An attendee confirms: approves their task on the engine. A second click finds nothing
    left to decide and changes nothing."""
    version = MinutesVersion.objects.filter(meeting=meeting).order_by("-number").first()
    request = confirmation_of(version) if version is not None else None
    if request is None or version.status != MinutesStatus.CONFIRMING:
        raise TransitionError(_("These minutes are not waiting for confirmation."))
    if actor.pk in confirmed_by(version):
        return request  # confirmed already (a double click)
    return approvals.act(
        request=request, actor=actor, operation="approve", opinion=comment[:500], seen_version=seen_version
    )


def confirmations_missing(meeting: Meeting, version: MinutesVersion) -> list:
    """Attendees still asked to confirm (their engine tasks are waiting)."""
    request = confirmation_of(version)
    if request is None or not request.is_pending:
        return []
    from apps.approvals.models import Task

    return [
        t.assignee
        for t in Task.objects.filter(request=request, status__in=(Task.Status.PENDING, Task.Status.QUEUED))
        .select_related("assignee")
        .order_by("pk")
    ]


# --- what the approvals engine calls (in its transaction) ---------------------------------------


def minutes_confirmed(*, version: MinutesVersion, request, actor) -> None:
    """Everyone confirmed: the organiser may issue now (the engine tells the proposer; tell
    the organiser too when someone else asked)."""
    meeting = version.meeting
    if meeting.organiser_id != request.proposer_id:
        notices.send(
            [meeting.organiser],
            kind=notices.CONFIRM,
            url=meeting.get_absolute_url(),
            title=gettext_lazy("Every attendee confirmed the minutes of “%(title)s”; you can issue them"),
            params={"title": meeting.title},
        )


def minutes_sent_back(*, version: MinutesVersion, request, actor) -> None:
    """Returned, rejected or withdrawn: the minutes are a draft again (editable)."""
    version = MinutesVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == MinutesStatus.CONFIRMING:
        transition(version, machine=MINUTES, to=MinutesStatus.DRAFT)


@transaction.atomic
def minutes_issue(*, actor, meeting: Meeting, today: date | None = None) -> MinutesVersion:
    """签发. Without confirmation: from the draft. With it: once every attendee confirmed or
    the confirmation period is over (the open confirmation is then withdrawn, recorded)."""
    today = today or timezone.localdate()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    version = MinutesVersion.objects.select_for_update().filter(meeting=meeting).order_by("-number").first()
    if version is None:
        raise TransitionError(_("There are no minutes to issue yet."))
    if version.status == MinutesStatus.DRAFT and meeting.confirm_days:
        raise TransitionError(_("Ask the attendees to confirm these minutes first."))
    if version.status == MinutesStatus.CONFIRMING:
        request = confirmation_of(version)
        if request is not None and request.is_pending:
            if today <= version.confirm_until:
                raise TransitionError(
                    _("Not everyone has confirmed yet; the minutes can be issued after %(d)s.")
                    % {"d": f"{version.confirm_until:%Y-%m-%d}"}
                )
            if request.proposer_id != actor.pk:
                raise TransitionError(
                    _("%(name)s asked for the confirmation; only they can issue before everyone confirmed.")
                    % {"name": request.proposer.name}
                )
            approvals.act(
                request=request,
                actor=actor,
                operation="withdraw",
                opinion=_("The confirmation period is over; the minutes are issued."),
                today=today,
            )
            version.refresh_from_db()
    elif version.status != MinutesStatus.DRAFT:
        raise TransitionError(_("These minutes were issued already."))
    transition_many(
        meeting.minutes_versions.all(), machine=MINUTES, to=MinutesStatus.SUPERSEDED, expected=[MinutesStatus.ISSUED]
    )
    transition(
        version, machine=MINUTES, to=MinutesStatus.ISSUED, fields={"issued_by": actor, "issued_at": timezone.now()}
    )
    version.snapshot = _document(meeting, version)  # the document as issued
    version.save(update_fields=["snapshot"])
    if meeting.status == MeetingStatus.SCHEDULED:
        transition(meeting, machine=MEETING, to=MeetingStatus.HELD, fields={"updated_at": timezone.now()})
    people = [a.user for a in meeting.attendees.select_related("user") if a.user_id != actor.pk]
    notices.send(
        people,
        kind=notices.ISSUED,
        url=meeting.get_absolute_url(),
        title=gettext_lazy("Minutes issued: %(title)s (version %(n)s)"),
        params={"title": meeting.title, "n": version.number},
    )
    index_now(source="meetings", owner_ids=[meeting.pk])  # the issued minutes are found
    return version


@transaction.atomic
def minutes_correct(*, actor, meeting: Meeting, reason: str) -> MinutesVersion:
    """Open the next version of issued minutes (the issued one stays valid until it is issued)."""
    if not (reason or "").strip():
        raise ValidationError(_("Say why the minutes are corrected."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    latest = MinutesVersion.objects.select_for_update().filter(meeting=meeting).order_by("-number").first()
    if latest is None or latest.status != MinutesStatus.ISSUED:
        raise TransitionError(_("Only issued minutes can be corrected."))
    return MinutesVersion.objects.create(
        meeting=meeting,
        number=latest.number + 1,
        summary=latest.summary,
        correction_reason=reason.strip()[:300],
        created_by=actor,
    )


# ---------------------------------------------------------------- action items


@dataclass(frozen=True)
class Step:
    target: str
    event: str
    by: str  # "owner" or "organiser"
    note_required: bool = False


# THE action item machine: (state, step) -> where it goes, what the history says, who may.
STEPS: dict[tuple[str, str], Step] = {
    (S.OPEN, "progress"): Step(S.IN_PROGRESS, ActionEvent.PROGRESS, "owner"),
    (S.IN_PROGRESS, "progress"): Step(S.IN_PROGRESS, ActionEvent.PROGRESS, "owner"),
    (S.OPEN, "done"): Step(S.DONE, ActionEvent.DONE, "owner"),
    (S.IN_PROGRESS, "done"): Step(S.DONE, ActionEvent.DONE, "owner"),
    (S.DONE, "accept"): Step(S.ACCEPTED, ActionEvent.ACCEPTED, "organiser"),
    (S.DONE, "reopen"): Step(S.IN_PROGRESS, ActionEvent.REOPENED, "organiser", note_required=True),
    (S.ACCEPTED, "reopen"): Step(S.IN_PROGRESS, ActionEvent.REOPENED, "organiser", note_required=True),
    (S.OPEN, "cancel"): Step(S.CANCELLED, ActionEvent.CANCELLED, "organiser", note_required=True),
    (S.IN_PROGRESS, "cancel"): Step(S.CANCELLED, ActionEvent.CANCELLED, "organiser", note_required=True),
    (S.DONE, "cancel"): Step(S.CANCELLED, ActionEvent.CANCELLED, "organiser", note_required=True),
}


def allowed_steps(user, action: ActionItem) -> list[str]:
    out = []
    for (state, step), rule in STEPS.items():
        if state != action.status:
            continue
        perm = "meetings.update_action" if rule.by == "owner" else "meetings.decide_action"
        if user.has_perm(perm, action):
            out.append(step)
    return out


@transaction.atomic
def action_transition(
    *,
    actor,
    action: ActionItem,
    step: str,
    note: str = "",
    progress: int | None = None,
    evidence=None,
    due_date: date | None = None,
    from_status: str | None = None,
) -> ActionItem:
    """Apply one step. Locks the row and checks the state the person saw (`from_status`), so
    two clicks give one result."""
    action = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "owner", "department")
        .get(pk=action.pk)
    )
    rule = STEPS.get((action.status, step))
    if rule is None or (from_status and from_status != action.status):
        raise TransitionError(
            _("This action is “%(status)s”; that step is no longer possible.") % {"status": action.get_status_display()}
        )
    perm = "meetings.update_action" if rule.by == "owner" else "meetings.decide_action"
    if not actor.has_perm(perm, action):
        raise PermissionDenied
    note = (note or "").strip()
    if rule.note_required and not note:
        raise ValidationError({"note": _("Say why.")})
    if step == "progress" and not note and progress is None and not evidence:
        raise ValidationError({"note": _("Write what happened, give the progress or attach evidence.")})
    if due_date is not None and step == "reopen":
        _check_due(action.meeting, due_date)
        action.due_date = due_date
    now = timezone.now()
    transition(action, machine=ACTION, to=rule.target)  # the row is locked: the state checked above holds
    if progress is not None:
        action.progress = max(0, min(100, progress))
    if step == "done":
        action.progress, action.done_at = 100, now
    elif step == "accept":
        action.accepted_at = now
    elif step == "reopen":  # back to where the owner's last progress report left it
        action.done_at = action.accepted_at = None
        last = action.updates.filter(event=ActionEvent.PROGRESS, progress__isnull=False).order_by("-pk").first()
        action.progress = last.progress if last else 0
    action.save()
    ActionUpdate.objects.create(
        action=action,
        event=rule.event,
        author=actor,
        note=note,
        progress=progress if progress is not None else (100 if step == "done" else None),
        evidence=evidence or "",
    )
    params = {"title": action.title, "who": actor.name, "note": note or "—"}
    if step == "done":
        notices.send(
            [action.meeting.organiser],
            kind=notices.ACTION_DONE,
            url=action.get_absolute_url(),
            title=gettext_lazy("Done, please accept: %(title)s"),
            body=gettext_lazy("%(who)s: %(note)s"),
            params=params,
        )
    elif step in ("accept", "reopen", "cancel"):
        title = {
            "accept": gettext_lazy("Your action item was accepted: %(title)s"),
            "reopen": gettext_lazy("Your action item was reopened: %(title)s"),
            "cancel": gettext_lazy("Your action item was cancelled: %(title)s"),
        }[step]
        notices.send(
            [action.owner],
            kind=notices.ACTION_DECIDED,
            url=action.get_absolute_url(),
            title=title,
            body=gettext_lazy("%(who)s: %(note)s"),
            params=params,
        )
    return action


# ---------------------------------------------------------------- follow-ups and calendar


@transaction.atomic
def follow_up_record(*, actor, decision: Decision, kind: str, target_label: str, target_url: str):
    return DecisionFollowUp.objects.create(
        decision=decision, kind=kind, target_label=target_label[:200], target_url=target_url, created_by=actor
    )


@transaction.atomic
def calendar_token_renew(*, user) -> CalendarToken:
    """A new feed secret (the old URL stops working at once)."""
    token, _created = CalendarToken.objects.update_or_create(user=user, defaults={"token": CalendarToken.new_token()})
    return token


def calendar_token(user) -> CalendarToken:
    found = CalendarToken.objects.filter(user=user).first()
    return found or calendar_token_renew(user=user)
