"""Who sees which meeting, its minutes and its actions: every role, table-driven. Hidden is 404."""

import pytest
from django.urls import reverse

from apps.meetings import selectors, services

pytestmark = pytest.mark.django_db
EVERYONE = ["gm", "manager", "ops_head", "staff", "ops", "hr", "admin", "outsider"]
# meeting -> who sees it (everyone else: 404)
SEES = {
    # attendees (manager, staff); gm manages the manager and heads the company; ops and admin
    "open": {"manager", "staff", "gm", "ops_head", "ops", "admin"},
    "secret": {"manager", "staff"},  # confidential: attendees only
    # attendees (ops_head, ops); outsider is a member of 运营管理部; gm manages ops_head
    "ops": {"ops_head", "ops", "outsider", "gm", "admin"},
}


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("which", sorted(SEES))
def test_meeting_page_is_seen_by_the_right_people(org, meetings, client_for, which, who):
    meeting = meetings[which]
    expected = 200 if who in SEES[which] else 404
    assert client_for(org[who]).get(reverse("meetings:meeting", args=[meeting.pk])).status_code == expected
    # The lists agree with the page (same rules in SQL).
    assert selectors.visible_meetings(org[who]).filter(pk=meeting.pk).exists() == (expected == 200)


@pytest.mark.parametrize("who", EVERYONE)
def test_minutes_print_and_docx_follow_the_meeting(org, meetings, client_for, who, today):
    meeting = meetings["ops"]
    services.minutes_save(actor=org["ops_head"], meeting=meeting, summary="纪要", notes={}, attendance={})
    services.minutes_issue(actor=org["ops_head"], meeting=meeting)
    expected = 200 if who in SEES["ops"] else 404
    client = client_for(org[who])
    assert client.get(reverse("meetings:minutes_print", args=[meeting.pk])).status_code == expected
    assert client.get(reverse("meetings:minutes_docx", args=[meeting.pk])).status_code == expected


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_organiser_and_admin_edit(org, meetings, client_for, who):
    meeting = meetings["open"]
    expected = 200 if who in ("manager", "admin") else 404
    assert client_for(org[who]).get(reverse("meetings:edit", args=[meeting.pk])).status_code == expected
    assert client_for(org[who]).get(reverse("meetings:minutes", args=[meeting.pk])).status_code == expected


def test_the_minute_taker_writes_minutes_but_does_not_edit_the_meeting(org, make_meeting, client_for):
    meeting = make_meeting(attendees=[org["staff"]], minute_taker=org["staff"])
    client = client_for(org["staff"])
    assert client.get(reverse("meetings:minutes", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("meetings:edit", args=[meeting.pk])).status_code == 404


@pytest.mark.parametrize(
    "who,expected",
    [("staff", 200), ("manager", 200), ("gm", 200), ("ops", 404), ("hr", 404), ("outsider", 404), ("admin", 404)],
)
def test_an_action_of_a_confidential_meeting(org, meetings, client_for, today, who, expected):
    """Its owner, the organiser and the owner's managers; not ops or admin."""
    action = services.action_add(
        actor=org["manager"], meeting=meetings["secret"], title="调研", owner=org["staff"], due_date=today
    )
    assert client_for(org[who]).get(reverse("meetings:action", args=[action.pk])).status_code == expected


def test_creating_meetings_is_for_heads_ops_and_admins(org, client_for):
    assert client_for(org["staff"]).get(reverse("meetings:create")).status_code == 403
    for who in ("manager", "ops", "admin"):
        assert client_for(org[who]).get(reverse("meetings:create")).status_code == 200


def test_anonymous_people_are_sent_to_log_in(meetings, client):
    response = client.get(reverse("meetings:meeting", args=[meetings["open"].pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
