"""Confirming the minutes, on the approvals engine (kind "meetings.minutes").

Default flow: the attendees confirm (会签: every attendee named by the meeting, except the
organiser and whoever asked). An attendee who finds a mistake returns the minutes with an
opinion: they are a draft again, and asking again is a new submission of the same request.
When everyone has confirmed, or the meeting's confirmation period (its `confirm_days`
working days) is over, the organiser issues them (services.minutes_issue)."""

from django.utils.translation import gettext_lazy as _

from apps.approvals.registry import ApprovalKind, service_hook

DEFAULT_STAGES = [{"key": "attendees", "name": "与会人确认", "mode": "all", "approvers": [{"type": "named"}]}]


def _participants(version) -> list:
    meeting = version.meeting
    return [
        a.user
        for a in meeting.attendees.select_related("user").order_by("pk")
        if a.user_id not in (meeting.organiser_id, None)
    ]


def _may_view(user, version) -> bool:
    return user.has_perm("meetings.view_meeting", version.meeting)


KINDS = [
    ApprovalKind(
        code="meetings.minutes",
        label=_("Meeting minutes"),
        model="meetings.MinutesVersion",
        default_stages=DEFAULT_STAGES,
        summary_template="meetings/approval_summary.html",
        summary_context=lambda version, user: {"version": version, "meeting": version.meeting},
        owner_department=lambda version: version.meeting.department,
        url=lambda version: version.meeting.get_absolute_url() + "#minutes",
        may_view=_may_view,
        participants=_participants,
        on_approved=service_hook("apps.meetings.services.minutes_confirmed", "version"),
        on_rejected=service_hook("apps.meetings.services.minutes_sent_back", "version"),
        on_returned=service_hook("apps.meetings.services.minutes_sent_back", "version"),
        on_withdrawn=service_hook("apps.meetings.services.minutes_sent_back", "version"),
    )
]
