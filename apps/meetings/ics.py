"""iCalendar for meetings: the invitation attached to mails (REQUEST / CANCEL) and the
personal feed (PUBLISH). Times carry the portal's time zone with its VTIMEZONE."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Meeting, MeetingStatus

PRODID = "-//OpsPortal//Meetings//ZH"


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@opsportal"


def meeting_event(meeting: Meeting, *, attendees=(), cancelled: bool = False) -> Event:
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(meeting.date, meeting.start_time, tzinfo=tz)
    event = Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=meeting.duration_minutes))
    event.add("summary", meeting.title)
    where = meeting.place or meeting.link
    if where:
        event.add("location", where)
    if meeting.link:
        event.add("url", meeting.link)
    from apps.notifications.delivery import absolute

    description = absolute(meeting.get_absolute_url())
    if meeting.was_moved:
        description = f"{meeting.planned_date:%Y-%m-%d} → {meeting.date:%Y-%m-%d}\n{description}"
    event.add("description", description)
    cancelled = cancelled or meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organiser = vCalAddress(f"mailto:{meeting.organiser.email or meeting.organiser.username + '@opsportal'}")
    organiser.params["cn"] = vText(meeting.organiser.name)
    event.add("organizer", organiser)
    for person in attendees:
        address = vCalAddress(f"mailto:{person.email or person.username + '@opsportal'}")
        address.params["cn"] = vText(person.name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", address, encode=0)
    return event


def _calendar(method: str | None, events: list[Event], name: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def invitation(meeting: Meeting, recipient) -> bytes:
    """The .ics attached to an invitation, change or cancellation mail for one recipient."""
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event = meeting_event(meeting, attendees=[recipient], cancelled=cancelled)
    return _calendar("CANCEL" if cancelled else "REQUEST", [event])


def feed(meetings, name: str) -> bytes:
    return _calendar("PUBLISH", [meeting_event(m) for m in meetings], name=name)
