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
    assert meeting.minutes_versions.get().confirmations.count() == 1
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
