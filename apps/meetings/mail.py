"""Mail attachments for the meetings module's notifications (the notifications engine asks
every app's mail.py): invitations, changes and cancellations carry the meeting's .ics."""

from django.urls import Resolver404, resolve

from .notices import WITH_CALENDAR


def attachments(notification) -> list[tuple[str, bytes, str]]:
    if notification.kind not in WITH_CALENDAR:
        return []
    try:
        match = resolve(notification.url)
    except Resolver404:
        return []
    if match.view_name != "meetings:meeting":
        return []
    from . import ics
    from .models import Meeting

    meeting = Meeting.objects.select_related("organiser").filter(pk=match.kwargs["pk"]).first()
    if meeting is None:
        return []
    method = "CANCEL" if meeting.status == "cancelled" else "REQUEST"
    return [("meeting.ics", ics.invitation(meeting, notification.recipient), f"text/calendar; method={method}")]
