"""Reads that cross tables: who sees which meetings and actions (the same rules as
permissions.py, as SQL), the action list, the meeting page, the reports."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from apps.accounts.permissions import is_admin, is_ops
from apps.departments.models import Department
from apps.departments.permissions import headed_paths

from .models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Attendee,
    Decision,
    Meeting,
    MeetingStatus,
)

User = get_user_model()


def _path_prefix_q(field: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


def meeting_visibility_q(user, prefix: str = "") -> Q:
    """Q over Meeting (or over a model with `prefix` = "meeting__") matching permissions.py."""
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    mid = OuterRef(f"{prefix}pk" if prefix else "pk")
    attends = Exists(Attendee.objects.filter(meeting_id=mid, user=user))
    own = Q(**{f"{prefix}organiser": user}) | Q(**{f"{prefix}minute_taker": user}) | Q(attends)
    if is_admin(user) or is_ops(user):
        return own | Q(**{f"{prefix}confidential": False})
    paths = headed_paths(user)
    manages = Exists(
        Attendee.objects.filter(meeting_id=mid).filter(
            Q(user__manager=user) | _path_prefix_q("user__department__path", paths)
        )
    )
    open_to = manages
    if user.department_id:
        ancestors = [int(p) for p in user.department.path.strip("/").split("/") if p]
        open_to = open_to | Q(**{f"{prefix}department_id__in": ancestors})
    return own | (Q(**{f"{prefix}confidential": False}) & open_to)


def visible_meetings(user):
    return Meeting.objects.filter(meeting_visibility_q(user))


def headed_department_ids(user) -> list[int]:
    """Ids of the departments `user` heads and everything below them (one query, cached)."""
    if not hasattr(user, "_meetings_headed_ids"):
        paths = headed_paths(user)
        user._meetings_headed_ids = (
            list(Department.objects.filter(_path_prefix_q("path", paths)).values_list("pk", flat=True)) if paths else []
        )
    return user._meetings_headed_ids


def action_visibility_q(user) -> Q:
    """An action is seen by its owner, the owner's managers, and whoever sees its meeting.
    The meetings are a semi-join (computed once), not a test per action row."""
    return (
        Q(owner=user)
        | Q(owner_id__in=User.objects.filter(manager=user).values("pk"))
        | Q(department_id__in=headed_department_ids(user))
        | Q(meeting_id__in=visible_meetings(user).values("pk"))
    )


def visible_actions(user):
    return ActionItem.objects.filter(action_visibility_q(user))


def action_scope(user, *, scope: str, today: date):
    """The one action list's tabs: mine / department / overdue / all (what `user` may see)."""
    if scope == "mine":
        return ActionItem.objects.filter(owner=user)
    if scope == "department":
        if headed_paths(user):  # a head sees every action of their departments (no visibility test needed)
            return ActionItem.objects.filter(department_id__in=headed_department_ids(user))
        if not user.department_id:
            return ActionItem.objects.none()
        return visible_actions(user).filter(department_id=user.department_id)
    if scope == "overdue":
        return visible_actions(user).filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)
    return visible_actions(user)


def series_in(actions) -> list[tuple[int, str]]:
    """(id, title) of the series these actions come from (the list's series filter); one query."""
    rows = (
        actions.filter(meeting__series__isnull=False)
        .order_by()
        .values_list("meeting__series_id", "meeting__series__title")
        .distinct()
    )
    return sorted(rows, key=lambda r: r[1])


def filter_actions(actions, filters: dict):
    qs = actions
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("series"):
        qs = qs.filter(meeting__series_id=filters["series"])
    if filters.get("department"):
        qs = qs.filter(department_id=filters["department"])
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(
            Q(title__icontains=term) | Q(owner__display_name__icontains=term) | Q(owner__username__iexact=term)
        )
    if filters.get("due_before"):
        qs = qs.filter(due_date__lte=filters["due_before"])
    return qs.select_related("owner", "department", "meeting").order_by("due_date", "pk")


def action_list(user, *, scope: str, today: date, filters: dict):
    return filter_actions(action_scope(user, scope=scope, today=today), filters)


def meeting_page(pk: int, user) -> Meeting:
    """The meeting with everything its page shows, in a fixed number of queries; the
    permission is checked on the loaded rows (permissions.py), so the page compiles no
    visibility SQL. Meeting.DoesNotExist for a meeting `user` may not see."""
    meeting = (
        Meeting.objects.select_related("organiser", "minute_taker", "department", "series")
        .prefetch_related(
            Prefetch("agenda", queryset=AgendaItem.objects.select_related("presenter")),
            Prefetch(
                "attendees",
                queryset=Attendee.objects.select_related("user__department", "delegate").order_by(
                    "user__department__path", "user__employee_no", "user__username"
                ),
            ),
            Prefetch(
                "decisions", queryset=Decision.objects.select_related("agenda_item").prefetch_related("follow_ups")
            ),
            Prefetch(
                "actions",
                queryset=ActionItem.objects.select_related("owner", "decision").prefetch_related("links"),
            ),
            "invited_departments",
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Meeting.DoesNotExist
    # What the rules need about the attendees, from the rows just loaded (no extra query).
    meeting._attendee_rows = [
        (a.user_id, a.user.manager_id, a.user.department.path if a.user.department_id else None)
        for a in meeting.attendees.all()
    ]
    if not user.has_perm("meetings.view_meeting", meeting):
        raise Meeting.DoesNotExist
    return meeting


def carried_over_actions(meeting: Meeting):
    """Open actions of the series' earlier meetings: the next meeting starts with them."""
    if meeting.series_id is None:
        return ActionItem.objects.none()
    return (
        ActionItem.objects.filter(
            meeting__series_id=meeting.series_id,
            meeting__date__lt=meeting.date,
            status__in=[*OPEN_ACTION_STATUSES, ActionStatus.DONE],
        )
        .select_related("owner", "meeting")
        .order_by("due_date", "pk")
    )


def upcoming_meetings(user, *, today: date, limit: int = 20):
    return (
        visible_meetings(user)
        .filter(date__gte=today)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("department", "organiser")
        .order_by("date", "start_time", "pk")[:limit]
    )


def recent_meetings(user, *, today: date):
    return (
        visible_meetings(user)
        .filter(date__lt=today)
        .select_related("department", "organiser")
        .annotate(n_actions=Count("actions"))
        .order_by("-date", "-start_time", "-pk")
    )


# ---------------------------------------------------------------- reports


def completion_by(user, *, field: str, label_field: str, today: date) -> list[dict]:
    """Per department (field "department") or series ("meeting__series"): actions, finished
    (done or accepted), completion rate and overdue count. One query."""
    finished = Q(status__in=[ActionStatus.DONE, ActionStatus.ACCEPTED])
    rows = (
        visible_actions(user)
        .exclude(status=ActionStatus.CANCELLED)
        .filter(**{f"{field}__isnull": False})
        .values(f"{field}_id" if "__" not in field else f"{field}", label_field)
        .annotate(
            total=Count("pk"),
            finished=Count("pk", filter=finished),
            overdue=Count("pk", filter=Q(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)),
        )
        .order_by(label_field)
    )
    out = []
    for r in rows:
        out.append(
            {
                "label": r[label_field],
                "total": r["total"],
                "finished": r["finished"],
                "overdue": r["overdue"],
                "rate": round(100 * r["finished"] / r["total"], 1) if r["total"] else 0.0,
            }
        )
    return out


def attendance_by_person(user, *, today: date) -> list[dict]:
    """Per person: meetings held with recorded attendance, present (a delegate counts as
    attending), rate. One query."""
    attended = [Attendance.PRESENT, Attendance.DELEGATE]
    rows = (
        Attendee.objects.filter(meeting__in=visible_meetings(user).filter(date__lte=today))
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .exclude(attendance=Attendance.UNKNOWN)
        .values("user_id", "user__display_name", "user__username", "user__department__name")
        .annotate(
            meetings=Count("pk"),
            present=Count("pk", filter=Q(attendance__in=attended)),
            excused=Count("pk", filter=Q(attendance=Attendance.EXCUSED)),
            absent=Count("pk", filter=Q(attendance=Attendance.ABSENT)),
        )
        .order_by("user__department__name", "user__display_name", "user__username")
    )
    return [
        {
            "name": r["user__display_name"] or r["user__username"],
            "department": r["user__department__name"] or "",
            "meetings": r["meetings"],
            "present": r["present"],
            "excused": r["excused"],
            "absent": r["absent"],
            "rate": round(100 * r["present"] / r["meetings"], 1) if r["meetings"] else 0.0,
        }
        for r in rows
    ]


def indicator_follow_up_initial(decision) -> tuple[str, str]:
    """(indicator code, period key) to offer for "set an indicator target": the indicator an
    action of the decision is linked to, and the period containing the meeting's date."""
    from django.apps import apps

    from .models import ActionLink

    link = ActionLink.objects.filter(action__decision=decision, kind="indicator").order_by("pk").first()
    if link is None:
        return "", ""
    indicator = apps.get_model("kpis", "Indicator").objects.filter(code__iexact=link.ref).first()
    if indicator is None:
        return link.ref, ""
    from apps.kpis.periods import Period

    return indicator.code, Period.containing(decision.meeting.date, indicator.frequency).key


def follow_up_period(indicator, text: str, meeting):
    """(period, error message): the period typed (at the indicator's frequency), else the one
    the meeting falls in."""
    from apps.kpis.periods import Period

    if not text:
        return Period.containing(meeting.date, indicator.frequency), ""
    try:
        period = Period.parse(text)
    except ValueError:
        period = None
    if period is None or period.frequency != indicator.frequency:
        example = Period.containing(meeting.date, indicator.frequency).key
        return None, _("Give a period of this indicator (%(frequency)s), like %(example)s.") % {
            "frequency": indicator.get_frequency_display(),
            "example": example,
        }
    return period, ""
