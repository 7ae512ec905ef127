"""Minutes: saved as a draft, confirmed within N working days, issued (read-only), corrected
as a new version; the print page and the .docx (opened back with python-docx)."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from apps.meetings import services
from apps.meetings.models import Attendance, MinutesStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(org, meetings, today):
    meeting = meetings["open"]
    agenda = meeting.agenda.get()
    staff_row = meeting.attendees.get(user=org["staff"])
    services.minutes_save(
        actor=org["manager"],
        meeting=meeting,
        summary="本周例会纪要",
        notes={agenda.pk: "上周销售额完成率 95%。"},
        attendance={staff_row.pk: (Attendance.DELEGATE, org["gm"])},
    )
    decision = services.decision_add(actor=org["manager"], meeting=meeting, text="加快回款，月底前完成对账。")
    services.action_add(
        actor=org["manager"],
        meeting=meeting,
        decision=decision,
        title="完成对账",
        owner=org["staff"],
        due_date=today + timedelta(days=7),
        expected_result="对账单",
    )
    return meeting


def test_issue_makes_minutes_read_only_and_a_correction_a_new_version(org, written, client_for):
    v1 = services.minutes_issue(actor=org["manager"], meeting=written)
    assert v1.status == MinutesStatus.ISSUED and v1.snapshot["decisions"] == ["加快回款，月底前完成对账。"]
    with pytest.raises(services.TransitionError):
        services.decision_add(actor=org["manager"], meeting=written, text="新的决议")
    with pytest.raises(services.TransitionError):
        services.minutes_save(actor=org["manager"], meeting=written, summary="改", notes={}, attendance={})
    response = client_for(org["manager"]).post(reverse("meetings:minutes", args=[written.pk]), {"summary": "改"})
    assert response.status_code == 200 and "改" in response.content.decode()
    with pytest.raises(ValidationError):
        services.minutes_correct(actor=org["manager"], meeting=written, reason="")
    v2 = services.minutes_correct(actor=org["manager"], meeting=written, reason="补充决议")
    assert v2.number == 2 and v2.status == MinutesStatus.DRAFT
    agenda = written.agenda.get()
    services.minutes_save(
        actor=org["manager"], meeting=written, summary="", notes={agenda.pk: "草稿修改"}, attendance={}
    )
    page = client_for(org["staff"]).get(reverse("meetings:meeting", args=[written.pk])).content.decode()
    assert "上周销售额完成率 95%。" in page and "草稿修改" not in page  # the page shows what was issued
    services.decision_add(actor=org["manager"], meeting=written, text="新增：下月起周报改为周五提交。")
    services.minutes_issue(actor=org["manager"], meeting=written)
    v1.refresh_from_db()
    assert v1.status == MinutesStatus.SUPERSEDED and len(v1.snapshot["decisions"]) == 1  # v1 reads as issued
    client = client_for(org["staff"])
    old = client.get(reverse("meetings:minutes_print", args=[written.pk]) + "?v=1").content.decode()
    new = client.get(reverse("meetings:minutes_print", args=[written.pk]) + "?v=2").content.decode()
    assert "下月起周报" not in old and "下月起周报" in new


def test_the_docx_opens_with_the_minutes(org, written, client_for):
    services.minutes_issue(actor=org["manager"], meeting=written)
    response = client_for(org["staff"]).get(reverse("meetings:minutes_docx", args=[written.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "销售部周例会" in text and "本周例会纪要" in text and "上周销售额完成率 95%。" in text
    assert "加快回款，月底前完成对账。" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "完成对账" in cells and "对账单" in cells and org["gm"].name in cells  # the delegate


def test_confirmation_within_n_working_days(org, make_meeting, today):
    meeting = make_meeting(attendees=[org["staff"], org["gm"]], confirm_days=2)
    services.minutes_save(actor=org["manager"], meeting=meeting, summary="纪要", notes={}, attendance={})
    with pytest.raises(services.TransitionError):
        services.minutes_issue(actor=org["manager"], meeting=meeting)  # confirmation first
    version = services.minutes_request_confirmation(actor=org["manager"], meeting=meeting)
    assert version.confirm_until == today + timedelta(days=2)  # Monday + 2 working days
    services.minutes_confirm(actor=org["staff"], meeting=meeting)
    with pytest.raises(services.TransitionError):
        services.minutes_issue(actor=org["manager"], meeting=meeting)  # gm has not confirmed
    with time_machine.travel("2026-11-05 10:00 +0800", tick=False):  # the period is over
        issued = services.minutes_issue(actor=org["manager"], meeting=meeting)
    assert issued.status == MinutesStatus.ISSUED


def test_everyone_confirmed_allows_issuing_at_once(org, make_meeting, client_for):
    meeting = make_meeting(attendees=[org["staff"]], confirm_days=3)
    services.minutes_save(actor=org["manager"], meeting=meeting, summary="纪要", notes={}, attendance={})
    services.minutes_request_confirmation(actor=org["manager"], meeting=meeting)
    client_for(org["staff"]).post(reverse("meetings:minutes_step", args=[meeting.pk, "confirm"]))
    client_for(org["staff"]).post(reverse("meetings:minutes_step", args=[meeting.pk, "confirm"]))  # double click
    version = meeting.minutes_versions.get()
    assert services.confirmed_by(version) == {org["staff"].pk}
    request = services.confirmation_of(version)
    assert request.status == "approved"  # everyone confirmed: the engine's 会签 stage is done
    assert request.events.filter(operation="approve", actor=org["staff"]).count() == 1  # one, despite two clicks
    assert (
        client_for(org["staff"]).post(reverse("meetings:minutes_step", args=[meeting.pk, "issue"])).status_code == 404
    )
    client_for(org["manager"]).post(reverse("meetings:minutes_step", args=[meeting.pk, "issue"]))
    assert meeting.minutes_versions.get().status == MinutesStatus.ISSUED


def test_a_delegate_needs_a_name(org, meetings, client_for):
    meeting = meetings["open"]
    row = meeting.attendees.get(user=org["staff"])
    response = client_for(org["manager"]).post(
        reverse("meetings:minutes", args=[meeting.pk]), {"summary": "保留我", f"att-{row.pk}": "delegate"}
    )
    assert response.status_code == 200 and "保留我" in response.content.decode()
    assert not meeting.minutes_versions.exists()
    response = client_for(org["manager"]).post(
        reverse("meetings:minutes", args=[meeting.pk]),
        {"summary": "保留我", f"att-{row.pk}": "delegate", f"delegate-{row.pk}": "ghost"},
    )
    assert "ghost" in response.content.decode()


def test_confirmation_is_an_approval_on_the_engine(org, make_meeting):
    """Every attendee but the organiser is asked (会签); an attendee who finds a mistake returns
    the minutes with an opinion: a draft again, and asking again is a new submission."""
    from apps.approvals import services as approvals
    from apps.approvals.models import Task

    meeting = make_meeting(attendees=[org["staff"], org["gm"]], confirm_days=2)
    services.minutes_save(actor=org["manager"], meeting=meeting, summary="纪要", notes={}, attendance={})
    version = services.minutes_request_confirmation(actor=org["manager"], meeting=meeting)
    request = services.confirmation_of(version)
    asked = set(Task.objects.filter(request=request, status="pending").values_list("assignee__username", flat=True))
    assert asked == {"staff", "gm"}
    assert {u.pk for u in services.confirmations_missing(meeting, version)} == {org["staff"].pk, org["gm"].pk}
    services.minutes_confirm(actor=org["staff"], meeting=meeting, comment="无异议")
    with pytest.raises(approvals.ApprovalError):
        approvals.act(request=request, actor=org["gm"], operation="return", opinion=" ")
    approvals.act(request=request, actor=org["gm"], operation="return", opinion="第二项决议写错了")
    version.refresh_from_db()
    assert version.status == MinutesStatus.DRAFT and version.is_editable
    services.minutes_save(actor=org["manager"], meeting=meeting, summary="纪要（已改）", notes={}, attendance={})
    services.minutes_request_confirmation(actor=org["manager"], meeting=meeting)
    request.refresh_from_db()
    assert request.status == "pending" and request.submission == 2
    assert services.confirmed_by(version) == set()  # the corrected text is confirmed again


def test_not_an_attendee_cannot_confirm(org, make_meeting):
    meeting = make_meeting(attendees=[org["staff"]], confirm_days=2)
    services.minutes_save(actor=org["manager"], meeting=meeting, summary="纪要", notes={}, attendance={})
    services.minutes_request_confirmation(actor=org["manager"], meeting=meeting)
    from apps.approvals.services import ApprovalError

    with pytest.raises(ApprovalError):
        services.minutes_confirm(actor=org["hr"], meeting=meeting)


def test_after_the_period_issuing_withdraws_the_open_confirmation(org, make_meeting, today):
    meeting = make_meeting(attendees=[org["staff"], org["gm"]], confirm_days=2)
    services.minutes_save(actor=org["manager"], meeting=meeting, summary="纪要", notes={}, attendance={})
    version = services.minutes_request_confirmation(actor=org["manager"], meeting=meeting)
    services.minutes_confirm(actor=org["staff"], meeting=meeting)
    with time_machine.travel("2026-11-05 10:00 +0800", tick=False):
        services.minutes_issue(actor=org["manager"], meeting=meeting)
    request = services.confirmation_of(version)
    assert request.status == "withdrawn"
    assert request.events.filter(operation="approve", actor=org["staff"]).exists()  # kept on the timeline
    assert not request.tasks.filter(status="pending").exists()
