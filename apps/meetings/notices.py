"""The meetings module's notification kinds (so people can choose their mail channel) and
the messages it sends. Texts are rendered in each recipient's language."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from apps.notifications.kinds import MODULES, register_kind
from apps.notifications.services import addresses, create_notifications

GROUP = gettext_lazy("Meetings")
MODULES.setdefault("meetings", GROUP)
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

for _code, _label, _mandatory in [
    (INVITATION, gettext_lazy("Meeting invitation"), True),
    (CHANGED, gettext_lazy("Meeting changed"), True),
    (CANCELLED, gettext_lazy("Meeting cancelled"), True),
    (CONFIRM, gettext_lazy("Minutes to confirm"), True),
    (ISSUED, gettext_lazy("Minutes issued"), False),
    (ACTION_ASSIGNED, gettext_lazy("Action item assigned to you"), True),
    (ACTION_DONE, gettext_lazy("Action item done, waiting for your acceptance"), False),
    (ACTION_DECIDED, gettext_lazy("Your action item was accepted or reopened"), False),
    (ACTION_OVERDUE, gettext_lazy("Action item overdue"), True),
    (ACTION_OVERDUE_MANAGER, gettext_lazy("Action item overdue in your team"), False),
]:
    register_kind(_code, _label, group=GROUP, mandatory=_mandatory)


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
