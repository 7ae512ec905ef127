"""The forms through their pages: a series made on its page generates its meetings; editing
and cancelling a meeting; the list pages render for everyone."""

from datetime import date

import pytest
from django.urls import reverse

from apps.meetings.models import Meeting, MeetingStatus, Series
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_series_made_on_its_page_makes_its_meetings(org, client_for, today):
    response = client_for(org["ops_head"]).post(
        reverse("meetings:series_create"),
        {
            "title": "运营管理部周例会",
            "type": "department",
            "department": org["ops_dept"].pk,
            "frequency": "weekly",
            "weekday": 4,
            "day_of_month": 1,
            "start_time": "09:30",
            "duration_minutes": 60,
            "starts_on": today.isoformat(),
            "horizon_days": 14,
            "confirm_days": 0,
            "departments": [org["ops_dept"].pk],
            "agenda_template": "上周工作汇报\n本周计划",
        },
    )
    series = Series.objects.get()
    assert response.status_code == 302 and response["Location"] == series.get_absolute_url()
    assert list(series.meetings.order_by("date").values_list("date", flat=True)) == [
        date(2026, 11, 6),
        date(2026, 11, 13),
    ]
    page = client_for(org["ops"]).get(series.get_absolute_url())
    assert page.status_code == 200 and "2026-11-13" in page.content.decode()
    assert client_for(org["staff"]).get(series.get_absolute_url()).status_code == 404


def test_a_series_with_bad_input_keeps_what_was_typed(org, client_for, today):
    response = client_for(org["ops_head"]).post(
        reverse("meetings:series_create"),
        {
            "title": "例会草稿",
            "type": "department",
            "department": org["ops_dept"].pk,
            "frequency": "weekly",
            "weekday": 0,
            "day_of_month": 1,
            "start_time": "09:30",
            "duration_minutes": 60,
            "starts_on": today.isoformat(),
            "ends_on": "2026-01-01",
            "horizon_days": 14,
            "confirm_days": 0,
            "attendee_logins": "nobody",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "例会草稿" in body and "nobody" in body
    assert not Series.objects.exists() and not Meeting.objects.exists()


def test_editing_a_meeting_on_its_page(org, meetings, client_for, today):
    meeting = meetings["open"]
    client = client_for(org["manager"])
    form = client.get(reverse("meetings:edit", args=[meeting.pk])).context["form"]
    assert form.initial["attendee_logins"] == "staff" and "上周工作汇报 | staff | 15" in form.initial["agenda_text"]
    response = client.post(
        reverse("meetings:edit", args=[meeting.pk]),
        {
            "title": meeting.title,
            "type": meeting.type,
            "department": meeting.department_id,
            "date": "2026-11-03",
            "start_time": "10:00",
            "duration_minutes": 90,
            "place": "2楼",
            "confirm_days": 0,
            "attendee_logins": "staff gm",
            "agenda_text": "上周工作汇报 | staff | 15",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.sequence, meeting.place) == (date(2026, 11, 3), 1, "2楼")
    assert Notification.objects.filter(kind="meetings.changed", recipient=org["staff"]).exists()
    assert Notification.objects.filter(kind="meetings.invitation", recipient=org["gm"]).exists()


def test_cancelling_a_meeting(org, meetings, client_for):
    meeting = meetings["open"]
    assert client_for(org["staff"]).post(reverse("meetings:cancel", args=[meeting.pk])).status_code == 404
    client_for(org["manager"]).post(reverse("meetings:cancel", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert Notification.objects.filter(kind="meetings.cancelled", recipient=org["staff"]).exists()
    assert client_for(org["manager"]).get(reverse("meetings:edit", args=[meeting.pk])).status_code == 404


@pytest.mark.parametrize("who", ["staff", "manager", "hr", "ops", "admin"])
@pytest.mark.parametrize("name", ["index", "actions", "reports", "calendar"])
def test_list_pages_render_for_everyone(org, meetings, client_for, who, name):
    assert client_for(org[who]).get(reverse(f"meetings:{name}")).status_code == 200
