"""The action item life cycle, who may take which step, double clicks, and bad input
(unknown logins, due date before the meeting, empty decision, oversize evidence):
a clear message and nothing half-saved."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.meetings import services
from apps.meetings.forms import EVIDENCE_MAX_BYTES
from apps.meetings.models import ActionItem, ActionStatus, ActionUpdate, Decision, Meeting
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db
S = ActionStatus


@pytest.fixture
def action(org, meetings, today):
    return services.action_add(
        actor=org["manager"],
        meeting=meetings["open"],
        title="整理客户投诉清单",
        owner=org["staff"],
        due_date=today + timedelta(days=5),
        expected_result="清单一份",
    )


def step(action, who, name, **kw):
    return services.action_transition(actor=who, action=action, step=name, **kw)


def test_the_whole_life_cycle(org, action):
    assert action.status == S.OPEN and action.department == org["sales_dept"]
    assert Notification.objects.filter(recipient=org["staff"], kind="meetings.action_assigned").count() == 1
    action = step(action, org["staff"], "progress", note="已收集一半", progress=50)
    assert (action.status, action.progress) == (S.IN_PROGRESS, 50)
    action = step(action, org["staff"], "done", note="完成")
    assert action.status == S.DONE and action.progress == 100
    assert Notification.objects.filter(recipient=org["manager"], kind="meetings.action_done").count() == 1
    action = step(action, org["manager"], "reopen", note="缺少二季度数据")
    assert action.status == S.IN_PROGRESS and action.done_at is None and action.progress == 50
    action = step(action, org["staff"], "done", note="已补充")
    action = step(action, org["manager"], "accept")
    assert action.status == S.ACCEPTED and action.accepted_at
    events = list(action.updates.values_list("event", flat=True))
    assert events == ["created", "progress", "done", "reopened", "done", "accepted"]
    assert Notification.objects.filter(recipient=org["staff"], kind="meetings.action_decided").count() == 2


@pytest.mark.parametrize(
    "who,name",
    [("manager", "progress"), ("manager", "done"), ("staff", "accept"), ("staff", "cancel"), ("gm", "done")],
)
def test_steps_belong_to_owner_or_organiser(org, action, who, name):
    if name == "accept":
        step(action, org["staff"], "done", note="x")
    with pytest.raises(PermissionDenied):
        step(action, org[who], name, note="x")


def test_a_double_click_gives_one_result(org, action):
    step(action, org["staff"], "done", note="完成", from_status=S.OPEN)
    with pytest.raises(services.TransitionError):
        step(action, org["staff"], "done", note="完成", from_status=S.OPEN)
    assert action.updates.filter(event="done").count() == 1


def test_reopen_and_cancel_need_a_reason(org, action):
    step(action, org["staff"], "done", note="完成")
    with pytest.raises(ValidationError):
        step(action, org["manager"], "reopen", note=" ")
    assert ActionItem.objects.get(pk=action.pk).status == S.DONE


def test_the_owner_updates_with_evidence_through_the_page(org, action, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(org["staff"])
    url = reverse("meetings:action_step", args=[action.pk])
    upload = SimpleUploadedFile("清单.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        url, {"step": "progress", "from_status": "open", "note": "进展", "progress": 40, "evidence": upload}
    )
    assert response.status_code == 302
    update = action.updates.get(event="progress")
    assert update.evidence and update.progress == 40
    got = client.get(reverse("meetings:evidence", args=[action.pk, update.pk]))
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 test"
    assert client_for(org["hr"]).get(reverse("meetings:evidence", args=[action.pk, update.pk])).status_code == 404


def test_an_oversize_attachment_is_refused_and_nothing_is_saved(org, action, client_for):
    big = SimpleUploadedFile("evidence.pdf", b"0" * (EVIDENCE_MAX_BYTES + 1), content_type="application/pdf")
    response = client_for(org["staff"]).post(
        reverse("meetings:action_step", args=[action.pk]),
        {"step": "done", "from_status": "open", "note": "完成了", "evidence": big},
    )
    assert response.status_code == 400
    assert "10 MB" in response.content.decode() and "完成了" in response.content.decode()  # the note is kept
    assert ActionItem.objects.get(pk=action.pk).status == S.OPEN
    assert not ActionUpdate.objects.filter(action=action).exclude(event="created").exists()


def test_a_file_of_the_wrong_type_is_refused(org, action, client_for):
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client_for(org["staff"]).post(
        reverse("meetings:action_step", args=[action.pk]), {"step": "progress", "note": "x", "evidence": bad}
    )
    assert response.status_code == 400 and ActionItem.objects.get(pk=action.pk).status == S.OPEN


def test_a_due_date_before_the_meeting_is_refused(org, meetings, client_for, today):
    meeting = meetings["open"]
    response = client_for(org["manager"]).post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {"title": "补交材料", "owner": "staff", "due_date": (today - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert "2026-11-02" in response.content.decode() and "补交材料" in response.content.decode()
    assert not ActionItem.objects.exists()
    with pytest.raises(ValidationError):
        services.action_add(
            actor=org["manager"], meeting=meeting, title="x", owner=org["staff"], due_date=date(2026, 1, 1)
        )


def test_an_unknown_owner_or_link_saves_nothing(org, meetings, client_for, today):
    meeting = meetings["open"]
    client = client_for(org["manager"])
    url = reverse("meetings:action_add", args=[meeting.pk])
    response = client.post(url, {"title": "补交材料", "owner": "nobody", "due_date": today.isoformat()})
    assert "nobody" in response.content.decode()
    response = client.post(
        url, {"title": "补交材料", "owner": "staff", "due_date": today.isoformat(), "link_process": "NO-SUCH"}
    )
    assert "NO-SUCH" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_an_empty_decision_is_refused(org, meetings, client_for):
    meeting = meetings["open"]
    response = client_for(org["manager"]).post(reverse("meetings:decision_add", args=[meeting.pk]), {"text": "  "})
    assert response.status_code == 200 and not Decision.objects.exists()
    with pytest.raises(ValidationError):
        services.decision_add(actor=org["manager"], meeting=meeting, text="")


def test_unknown_attendee_logins_are_named_and_nothing_is_saved(org, client_for, today):
    response = client_for(org["manager"]).post(
        reverse("meetings:create"),
        {
            "title": "协调会",
            "type": "coordination",
            "department": org["sales_dept"].pk,
            "date": today.isoformat(),
            "start_time": "10:00",
            "duration_minutes": 60,
            "confirm_days": 0,
            "attendee_logins": "staff ghost1, ghost2",
            "agenda_text": "议题一 | staff | 10",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "ghost1" in body and "ghost2" in body and "协调会" in body
    assert not Meeting.objects.exists()


def test_a_meeting_made_through_the_page_invites_people_and_departments(org, client_for, today):
    response = client_for(org["manager"]).post(
        reverse("meetings:create"),
        {
            "title": "协调会",
            "type": "coordination",
            "department": org["sales_dept"].pk,
            "date": today.isoformat(),
            "start_time": "10:00",
            "duration_minutes": 60,
            "confirm_days": 0,
            "attendee_logins": "staff",
            "departments": [org["ops_group"].pk],
            "agenda_text": "议题一 | staff | 10\n议题二",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert set(meeting.attendees.values_list("user__username", flat=True)) == {"manager", "staff", "ops"}
    assert [(a.title, a.presenter_id, a.minutes_allotted) for a in meeting.agenda.all()] == [
        ("议题一", org["staff"].pk, 10),
        ("议题二", None, None),
    ]
    assert Notification.objects.filter(kind="meetings.invitation").count() == 2  # not the organiser


def test_changing_the_time_tells_the_attendees(org, meetings, today):
    meeting = meetings["open"]
    before = Notification.objects.filter(kind="meetings.changed").count()
    services.meeting_update(
        actor=org["manager"],
        meeting=meeting,
        attendees=[org["staff"]],
        departments=[],
        agenda=[],
        date=today + timedelta(days=1),
    )
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert Notification.objects.filter(kind="meetings.changed").count() == before + 1  # staff


def test_the_action_list_scopes(org, meetings, action, client_for, today):
    overdue = services.action_add(
        actor=org["ops_head"], meeting=meetings["ops"], title="逾期事项", owner=org["ops"], due_date=today
    )
    ActionItem.objects.filter(pk=overdue.pk).update(due_date=today - timedelta(days=3))
    url = reverse("meetings:actions")
    mine = client_for(org["staff"]).get(url + "?scope=mine").content.decode()
    assert action.title in mine and "逾期事项" not in mine
    dept = client_for(org["ops_head"]).get(url + "?scope=department").content.decode()
    assert "逾期事项" in dept and action.title not in dept
    late = client_for(org["ops_head"]).get(url + "?scope=overdue").content.decode()
    assert "逾期事项" in late
    filtered = client_for(org["manager"]).get(url + "?scope=all&status=accepted").content.decode()
    assert action.title not in filtered
