"""Who sees and does what with meetings. Default deny; a meeting someone may not see is a 404.

* See a meeting: its attendees (organiser and minute-taker included); for a meeting that is
  not confidential also the attendees' managers (their direct manager or the head of their
  department or of a department above it), the members of the meeting's department and its
  sub-departments (its minutes are the department's), operations management and admins.
  A confidential meeting: attendees only.
* Edit a meeting, its minutes, decisions and actions, issue the minutes, accept or reopen an
  action: the organiser (and admins); the minute-taker edits the minutes too.
* Update and close an action: its owner. Set up meetings: department heads, ops, admins.
"""

import rules

from apps.accounts.permissions import is_admin, is_manager, is_ops, is_staff_member
from apps.departments.permissions import headed_paths, is_manager_of

from .models import ActionItem, Meeting, MeetingStatus


def attendee_rows(meeting) -> list[tuple[int, int | None, str]]:
    """(user id, manager id, department path) of each attendee; one query, cached."""
    if not hasattr(meeting, "_attendee_rows"):
        meeting._attendee_rows = list(
            meeting.attendees.values_list("user_id", "user__manager_id", "user__department__path")
        )
    return meeting._attendee_rows


@rules.predicate
def is_attendee(user, meeting) -> bool:
    if not isinstance(meeting, Meeting):
        return False
    return user.pk in (meeting.organiser_id, meeting.minute_taker_id) or any(
        uid == user.pk for uid, _m, _p in attendee_rows(meeting)
    )


@rules.predicate
def is_open_meeting(user, meeting) -> bool:
    return isinstance(meeting, Meeting) and not meeting.confidential


@rules.predicate
def manages_an_attendee(user, meeting) -> bool:
    paths = headed_paths(user)
    return any(
        manager == user.pk or (path and any(path.startswith(p) for p in paths))
        for _u, manager, path in attendee_rows(meeting)
    )


@rules.predicate
def in_meeting_department(user, meeting) -> bool:
    dept = getattr(user, "department", None)
    return bool(dept and dept.path.startswith(meeting.department.path))


@rules.predicate
def is_organiser(user, meeting) -> bool:
    return isinstance(meeting, Meeting) and meeting.organiser_id == user.pk


@rules.predicate
def is_minute_taker(user, meeting) -> bool:
    return isinstance(meeting, Meeting) and meeting.minute_taker_id == user.pk


@rules.predicate
def is_not_cancelled(user, meeting) -> bool:
    return isinstance(meeting, Meeting) and meeting.status != MeetingStatus.CANCELLED


@rules.predicate
def is_action_owner(user, action) -> bool:
    return isinstance(action, ActionItem) and action.owner_id == user.pk


@rules.predicate
def is_action_organiser(user, action) -> bool:
    return isinstance(action, ActionItem) and action.meeting.organiser_id == user.pk


@rules.predicate
def manages_action_owner(user, action) -> bool:
    if not isinstance(action, ActionItem):
        return False
    if is_manager_of(user, action.owner):
        return True
    dept = action.department
    return bool(dept and any(dept.path.startswith(p) for p in headed_paths(user)))


can_view_meeting = is_staff_member & (
    is_attendee | (is_open_meeting & (is_admin | is_ops | manages_an_attendee | in_meeting_department))
)
rules.add_perm("meetings.view_meeting", can_view_meeting)
rules.add_perm("meetings.create_meeting", is_staff_member & (is_manager | is_ops | is_admin))
rules.add_perm("meetings.edit_meeting", is_staff_member & is_not_cancelled & (is_organiser | is_admin))
rules.add_perm(
    "meetings.edit_minutes", is_staff_member & is_not_cancelled & (is_organiser | is_minute_taker | is_admin)
)
rules.add_perm("meetings.issue_minutes", is_staff_member & (is_organiser | is_admin))
rules.add_perm("meetings.confirm_minutes", is_staff_member & is_attendee)
rules.add_perm(
    "meetings.view_action",
    is_staff_member & (is_action_owner | is_action_organiser | manages_action_owner),
)
rules.add_perm("meetings.update_action", is_staff_member & is_action_owner)
rules.add_perm("meetings.decide_action", is_staff_member & (is_action_organiser | is_admin))
rules.add_perm("meetings.view_reports", is_staff_member)
