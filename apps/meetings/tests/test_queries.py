"""Query counts stay flat as meetings, agenda, attendees and actions grow (no N+1)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.meetings import services
from apps.meetings.models import ActionItem, ActionStatus, AgendaItem, Attendee, Decision

pytestmark = pytest.mark.django_db


def grow(org, meeting, n, today):
    people = [UserFactory(department=org["sales_dept"], manager=org["manager"]) for _ in range(n)]
    Attendee.objects.bulk_create([Attendee(meeting=meeting, user=p) for p in people])
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, order=i + 10, title=f"议题{i}", presenter=people[i]) for i in range(n)]
    )
    decisions = Decision.objects.bulk_create([Decision(meeting=meeting, text=f"决议{i}") for i in range(n)])
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                meeting=meeting,
                decision=decisions[i],
                title=f"事项{i}",
                owner=people[i],
                department=org["sales_dept"],
                due_date=today + timedelta(days=i - n // 2),
                status=list(ActionStatus)[i % 5],
            )
            for i in range(n)
        ]
    )


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["manager", "staff", "gm"])
def test_meeting_page_and_action_list_do_not_grow_with_the_data(org, make_meeting, client_for, today, who):
    meeting = make_meeting(attendees=[org["staff"]])
    client = client_for(org[who])
    pages = [
        reverse("meetings:meeting", args=[meeting.pk]),
        reverse("meetings:actions") + "?scope=all",
        reverse("meetings:actions") + "?scope=department",
        reverse("meetings:index"),
        reverse("meetings:reports"),
    ]
    services.minutes_save(actor=org["manager"], meeting=meeting, summary="", notes={}, attendance={})
    grow(org, meeting, 4, today)
    small = [count(client, url) for url in pages]
    grow(org, meeting, 40, today)
    large = [count(client, url) for url in pages]
    assert large == small


def test_minutes_editor_and_print_do_not_grow(org, make_meeting, client_for, today, django_assert_max_num_queries):
    meeting = make_meeting(attendees=[org["staff"]])
    services.minutes_save(actor=org["manager"], meeting=meeting, summary="", notes={}, attendance={})
    client = client_for(org["manager"])
    pages = [reverse("meetings:minutes", args=[meeting.pk]), reverse("meetings:minutes_print", args=[meeting.pk])]
    grow(org, meeting, 4, today)
    small = [count(client, url) for url in pages]
    grow(org, meeting, 40, today)
    assert [count(client, url) for url in pages] == small
    with django_assert_max_num_queries(30):
        client.get(pages[0])
