"""The .ics attached to invitation mails and the personal feed, parsed back with icalendar."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from apps.meetings import services
from apps.notifications import delivery
from apps.notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def mailbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return mail.outbox


def events(data: bytes) -> list:
    return [c for c in Calendar.from_ical(data).walk() if c.name == "VEVENT"]


def sent_calendars(mailbox) -> dict:
    """recipient -> (method, the VEVENT) of each mail's .ics"""
    out = {}
    for message in mailbox:
        for name, content, mimetype in message.attachments:
            assert name == "meeting.ics" and mimetype.startswith("text/calendar")
            cal = Calendar.from_ical(content)
            out[message.to[0]] = (str(cal["METHOD"]), events(content)[0])
    return out


def deliver_all():
    assert delivery.deliver(list(OutboundEmail.objects.values_list("pk", flat=True))) == []


def test_the_invitation_mail_carries_the_meeting(org, make_meeting, mailbox):
    meeting = make_meeting(attendees=[org["staff"]], place="3楼会议室")
    deliver_all()
    method, event = sent_calendars(mailbox)[org["staff"].email]
    assert method == "REQUEST"
    assert str(event["SUMMARY"]) == "销售部周例会" and str(event["LOCATION"]) == "3楼会议室"
    assert event.decoded("DTSTART") == datetime(2026, 11, 2, 9, 30, tzinfo=SHANGHAI)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=60)
    assert str(event["UID"]) == f"meeting-{meeting.pk}@opsportal" and int(event["SEQUENCE"]) == 0
    assert str(event["ATTENDEE"]) == f"mailto:{org['staff'].email}"


def test_a_change_and_a_cancellation_update_the_same_event(org, make_meeting, mailbox, today):
    meeting = make_meeting(attendees=[org["staff"]])
    deliver_all()
    mailbox.clear()
    OutboundEmail.objects.all().delete()
    services.meeting_update(
        actor=org["manager"],
        meeting=meeting,
        attendees=[org["staff"]],
        departments=[],
        agenda=[],
        start_time=datetime(2026, 1, 1, 14, 0).time(),
    )
    deliver_all()
    method, event = sent_calendars(mailbox)[org["staff"].email]
    assert method == "REQUEST" and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").hour == 14
    mailbox.clear()
    OutboundEmail.objects.all().delete()
    services.meeting_cancel(actor=org["manager"], meeting=meeting)
    deliver_all()
    method, event = sent_calendars(mailbox)[org["staff"].email]
    assert method == "CANCEL" and str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 2


def test_other_mail_has_no_attachment(org, meetings, mailbox, today):
    OutboundEmail.objects.all().delete()
    services.action_add(actor=org["manager"], meeting=meetings["open"], title="x", owner=org["staff"], due_date=today)
    deliver_all()
    assert len(mailbox) == 1 and mailbox[0].attachments == []


def test_the_personal_feed_lists_my_meetings_without_login(org, meetings, client, client_for):
    page = client_for(org["staff"]).get(reverse("meetings:calendar"))
    feed_url = page.context["feed_url"]
    response = client.get(feed_url)  # anonymous
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    found = {str(e["UID"]) for e in events(response.content)}
    assert found == {f"meeting-{meetings['open'].pk}@opsportal", f"meeting-{meetings['secret'].pk}@opsportal"}


def test_a_bad_or_revoked_token_is_404(org, meetings, client, client_for):
    staff_client = client_for(org["staff"])
    old = staff_client.get(reverse("meetings:calendar")).context["feed_url"]
    assert client.get(reverse("meetings:feed", args=["not-a-token"])).status_code == 404
    staff_client.post(reverse("meetings:calendar"))  # make a new address
    new = staff_client.get(reverse("meetings:calendar")).context["feed_url"]
    assert new != old
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200


def test_the_ics_download_of_a_meeting(org, meetings, client_for):
    response = client_for(org["staff"]).get(reverse("meetings:ics", args=[meetings["open"].pk]))
    assert events(response.content)[0]["SUMMARY"] == "销售部周例会"
    assert client_for(org["hr"]).get(reverse("meetings:ics", args=[meetings["open"].pk])).status_code == 404


def test_each_attendee_reads_the_invitation_in_their_language(org, make_meeting):
    from apps.notifications.models import Notification

    org["staff"].preferred_language = "en"
    org["staff"].save(update_fields=["preferred_language"])
    make_meeting(attendees=[org["staff"], org["gm"]], place="3楼会议室")
    titles = dict(Notification.objects.filter(kind="meetings.invitation").values_list("recipient__username", "title"))
    assert titles["staff"] == "Meeting invitation: 销售部周例会, 2026-11-02 09:30"
    assert titles["gm"] == "会议邀请：销售部周例会，2026-11-02 09:30"
