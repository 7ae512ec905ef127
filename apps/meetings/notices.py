"""The messages the meetings module sends (its kinds, for the mail preferences, are in
notification_kinds.py). Texts are rendered in each recipient's language."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from apps.notifications.services import addresses, create_notifications

INVITATION = "meetings.invitation"
CHANGED = "meetings.changed"
CANCELLED = "meetings.cancelled"
CONFIRM = "meetings.confirm_minutes"
ISSUED = "meetings.minutes_issued"
ACTION_ASSIGNED = "meetings.action_assigned"
ACTION_DONE = "meetings.action_done"
ACTION_DECIDED = "meetings.action_decided"
ACTION_OVERDUE = "meetings.action_overdue"
ACTION_OVERDUE_MANAGER = "meetings.action_overdue_manager"
# Kinds whose mail carries the meeting's .ics (apps/meetings/mail.py).
WITH_CALENDAR = (INVITATION, CHANGED, CANCELLED)


def send(recipients, *, kind: str, url: str, title, body=None, params: dict) -> list:
    """One notification per recipient, title and body (lazy msgids) in the recipient's
    language; a constant number of queries. Call inside the service's transaction."""
    from apps.notifications.models import Notification

    rows = []
    for person in {p.pk: p for p in recipients if p is not None}.values():
        with translation.override(person.preferred_language or "zh-hans"):
            rows.append(
                Notification(
                    recipient=person,
                    recipient_id=person.pk,
                    kind=kind,
                    title=str(title % params)[:200],
                    body=str(body % params) if body else "",
                    url=url,
                )
            )
    if rows:
        create_notifications(rows, emails=addresses([r.recipient_id for r in rows]))
    return rows


def meeting_params(meeting) -> dict:
    return {
        "title": meeting.title,
        "when": f"{meeting.date:%Y-%m-%d} {meeting.start_time:%H:%M}",
        "where": meeting.place or meeting.link or "—",
    }


def meeting_url(meeting) -> str:
    return reverse("meetings:meeting", args=[meeting.pk])


def invite(meeting, recipients) -> None:
    send(
        recipients,
        kind=INVITATION,
        url=meeting_url(meeting),
        title=gettext_lazy("Meeting invitation: %(title)s, %(when)s"),
        body=gettext_lazy("Place: %(where)s. The calendar entry is attached."),
        params=meeting_params(meeting),
    )


def changed(meeting, recipients) -> None:
    send(
        recipients,
        kind=CHANGED,
        url=meeting_url(meeting),
        title=gettext_lazy("Meeting changed: %(title)s, now %(when)s"),
        body=gettext_lazy("Place: %(where)s. The updated calendar entry is attached."),
        params=meeting_params(meeting),
    )


def cancelled(meeting, recipients) -> None:
    send(
        recipients,
        kind=CANCELLED,
        url=meeting_url(meeting),
        title=gettext_lazy("Meeting cancelled: %(title)s, %(when)s"),
        params=meeting_params(meeting),
    )
