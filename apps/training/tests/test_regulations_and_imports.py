"""Regulation training (宣贯培训): a new version needing training makes the training need of its
audience, passing or attending marks the acknowledgement as coming from training; attendance
imported from a spreadsheet, all or nothing; reminders sent once however often the job runs."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.spreadsheets import xlsx_bytes
from apps.notifications import reminding
from apps.notifications.models import Notification
from apps.policies.models import Acknowledgement, AckSource
from apps.training import importing, services
from apps.training.models import Certificate, DevelopmentAction, Enrollment, TrainingNeed

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _answers(course, right: bool):
    out = {}
    for q in course.questions.prefetch_related("choices"):
        out[q.pk] = {c.pk for c in q.choices.all() if c.correct == right}
    return out


def _publish_new_version(org, *, needs_training: bool, ack_scope="everyone"):
    from apps.policies import services as policy_services
    from apps.policies.tests.factories import make_published, publish

    first = make_published(org=org, ack_scope=ack_scope)
    draft = policy_services.draft_from_current(policy=first.policy, actor=org["ops"])
    policy_services.draft_update(
        version=draft,
        actor=org["ops"],
        text=policy_services.version_as_text(draft) + "\n第九十九条 新增条款。",
        title=draft.title,
        label=draft.label,
        effective_date=None,
        change_summary="修订",
        ack_scope=ack_scope,
        needs_training=needs_training,
    )
    draft = publish(draft, head=org["sales_dept"].head, ops=org["ops"], today=at("2026-11-18").date())
    draft.refresh_from_db()
    assert draft.is_in_force
    return first, draft


# -- regulation training ------------------------------------------------------------------


def test_a_new_version_needing_training_makes_the_need_of_everyone_it_asks(org, training):
    from apps.policies.selectors import ack_required_users

    first, second = _publish_new_version(org, needs_training=True)
    asked = set(ack_required_users(second).values_list("pk", flat=True))
    assert asked and set(TrainingNeed.objects.filter(version=second).values_list("person_id", flat=True)) == asked
    assert not TrainingNeed.objects.filter(version=first).exists()  # the first version did not ask for it


def test_a_version_not_needing_training_makes_no_need(org, training):
    _publish_new_version(org, needs_training=False)
    assert not TrainingNeed.objects.exists()


def test_needing_training_without_anyone_to_acknowledge_is_refused_by_the_form(org):
    from apps.policies.forms import DraftTextForm

    form = DraftTextForm(
        data={"text": "制度\n第一条 内容。", "label": "V2", "ack_scope": "none", "needs_training": "on"}
    )
    assert not form.is_valid() and "needs_training" in form.errors


def test_passing_the_quiz_acknowledges_through_training_and_meets_the_need(org, training):
    _first, version = _publish_new_version(org, needs_training=True)
    course = training["course"]
    course.policies.set([version.policy])
    services.enroll(session=training["session"], people=[org["staff"]], actor=org["hr"])
    services.submit_quiz(
        course=course, person=org["staff"], answers=_answers(course, False), today=at("2026-11-20").date()
    )
    assert not Acknowledgement.objects.filter(user=org["staff"], version=version).exists()  # failed: nothing
    services.submit_quiz(
        course=course, person=org["staff"], answers=_answers(course, True), today=at("2026-11-20").date()
    )
    ack = Acknowledgement.objects.get(user=org["staff"], version=version)
    assert (ack.source, ack.via) == (AckSource.TRAINING, course.title)
    need = TrainingNeed.objects.get(person=org["staff"], version=version)
    assert need.met_at is not None and need.met_by == course
    assert TrainingNeed.objects.filter(version=version, met_at__isnull=True).exclude(person=org["staff"]).exists()


def test_attending_a_regulation_course_without_a_quiz_acknowledges_those_present_only(org, training):
    _first, version = _publish_new_version(org, needs_training=True)
    course = services.add_course(
        plan=training["plan"],
        actor=org["hr"],
        title="考勤制度宣贯",
        hours=Decimal(1),
        planned_month=11,
        trainer=org["ops"],
    )
    course.policies.set([version.policy])
    session = services.schedule_session(
        course=course, actor=org["hr"], starts_at=at("2026-11-20"), ends_at=at("2026-11-20", 10), place="x", capacity=9
    )
    services.enroll(session=session, people=[org["staff"], org["manager"]], actor=org["hr"])
    with time_machine.travel("2026-11-20 11:00 +0800", tick=False):
        services.record_attendance(
            session=session, actor=org["hr"], statuses={org["staff"].pk: "present", org["manager"].pk: "absent"}
        )
    assert Acknowledgement.objects.get(user=org["staff"], version=version).source == AckSource.TRAINING
    assert not Acknowledgement.objects.filter(user=org["manager"], version=version).exists()
    assert TrainingNeed.objects.get(person=org["staff"], version=version).met_by == course
    assert TrainingNeed.objects.get(person=org["manager"], version=version).met_at is None


def test_reading_first_keeps_the_reading(org, training):
    from apps.policies import services as policy_services

    _first, version = _publish_new_version(org, needs_training=True)
    policy_services.acknowledge(user=org["staff"], version=version)
    course = training["course"]
    course.policies.set([version.policy])
    services.enroll(session=training["session"], people=[org["staff"]], actor=org["hr"])
    services.submit_quiz(
        course=course, person=org["staff"], answers=_answers(course, True), today=at("2026-11-20").date()
    )
    assert Acknowledgement.objects.get(user=org["staff"], version=version).source == AckSource.READ
    assert TrainingNeed.objects.get(person=org["staff"], version=version).met_at is not None  # trained all the same


def test_the_record_shows_open_regulation_training_and_the_export_says_how_people_acknowledged(
    org, training, client_for
):
    from openpyxl import load_workbook

    _first, version = _publish_new_version(org, needs_training=True)
    page = client_for(org["staff"]).get(reverse("training:record", args=["staff"])).content.decode()
    assert "Regulation training still needed" in page or "仍需参加的制度培训" in page
    assert version.get_absolute_url() in page
    course = training["course"]
    course.policies.set([version.policy])
    services.enroll(session=training["session"], people=[org["staff"]], actor=org["hr"])
    services.submit_quiz(
        course=course, person=org["staff"], answers=_answers(course, True), today=at("2026-11-20").date()
    )
    page = client_for(org["staff"]).get(reverse("training:record", args=["staff"])).content.decode()
    assert version.get_absolute_url() not in page
    export = client_for(org["ops"]).get(
        reverse("policies:ack_report", args=[version.policy.code, version.label]) + "?format=xlsx"
    )
    rows = list(load_workbook(BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))
    staff_row = next(r for r in rows if r[2] == org["staff"].name)
    assert staff_row[-1] == course.title and staff_row[4] in ("Yes", "是")


# -- attendance import ----------------------------------------------------------------------


def _roster(org, training):
    session = training["session"]
    services.enroll(session=session, people=[org["staff"], org["manager"], org["ops"]], actor=org["hr"])
    return session


def test_attendance_import_with_unknown_people_names_every_bad_row_and_saves_nothing(org, training):
    session = _roster(org, training)
    data = xlsx_bytes(
        [
            ["登录名", "姓名", "出勤情况"],
            ["staff", "", "出勤"],
            ["nobody", "", "出勤"],
            ["hr", "", "缺勤"],
            ["manager", "", "迟到"],
            ["staff", "", "请假"],
            ["", "", "出勤"],
        ],
        title="attendance",
    )
    with pytest.raises(ValidationError) as caught:
        importing.read_attendance(session=session, filename="a.xlsx", data=data)
    messages = caught.value.messages
    assert messages[0].startswith("Nothing was saved")
    assert "Row 3: nobody has the login “nobody”." in messages
    assert "Row 4: hr is not enrolled in this session." in messages
    assert any(m.startswith("Row 5: “迟到” is not an attendance") for m in messages)
    assert "Row 6: staff is already on row 2." in messages
    assert "Row 7: the login is empty." in messages
    assert set(Enrollment.objects.filter(session=session).values_list("status", flat=True)) == {"enrolled"}


def test_attendance_import_reads_csv_in_either_language(org, training):
    session = _roster(org, training)
    data = "login,status\nstaff,present\nmanager,缺勤\nops,Excused\n".encode()
    statuses = importing.read_attendance(session=session, filename="a.csv", data=data)
    assert statuses == {org["staff"].pk: "present", org["manager"].pk: "absent", org["ops"].pk: "excused"}


def test_attendance_import_page_all_or_nothing_and_roster_round_trip(org, training, client_for):
    from openpyxl import load_workbook

    session = _roster(org, training)
    url = reverse("training:session_attendance_import", args=[session.pk])
    with time_machine.travel("2026-11-20 11:00 +0800", tick=False):
        client = client_for(org["hr"])
        roster = client.get(reverse("training:session_roster", args=[session.pk]))
        rows = [list(r) for r in load_workbook(BytesIO(roster.content)).worksheets[0].iter_rows(values_only=True)]
        assert rows[0] == importing.HEADER and {r[0] for r in rows[1:]} == {"staff", "manager", "ops"}
        bad = [*rows, ["ghost", "", "", "出勤"]]
        for r in bad[1:4]:
            r[3] = "出勤"
        response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", xlsx_bytes(bad, title="a"))})
        assert response.status_code == 200 and "第 5 行：没有登录名为“ghost”的人员。" in response.content.decode()
        assert not Enrollment.objects.filter(session=session, status="present").exists()
        response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", xlsx_bytes(bad[:4], title="a"))})
        assert response.status_code == 302
    assert Enrollment.objects.filter(session=session, status="present").count() == 3
    session.refresh_from_db()
    assert session.status == "done"


def test_attendance_import_permissions(org, training, client_for):
    session = _roster(org, training)
    url = reverse("training:session_attendance_import", args=[session.pk])
    assert client_for(org["staff"]).get(url).status_code == 403
    assert client_for(org["staff"]).get(reverse("training:session_roster", args=[session.pk])).status_code == 403
    assert client_for(org["hr"]).get(url).status_code == 200
    assert client_for(org["hr"]).get(reverse("training:session_attendance_import", args=[999999])).status_code == 404


# -- reminders: twice run, once sent ---------------------------------------------------------


def _sent(kind, person=None):
    qs = Notification.objects.filter(kind=kind)
    return qs.filter(recipient=person).count() if person else qs.count()


def test_session_reminder_is_sent_once_however_often_the_job_runs(org, training):
    services.enroll(session=training["session"], people=[org["staff"], org["manager"]], actor=org["hr"])
    thursday = at("2026-11-19", 8)  # the working day before the session
    assert reminding.scan_all(thursday - timedelta(days=1), only="training.sessions") == 0  # two days ahead
    assert reminding.scan_all(thursday, only="training.sessions") == 2
    assert reminding.scan_all(thursday, only="training.sessions") == 0
    assert reminding.scan_all(thursday + timedelta(hours=5), only="training.sessions") == 0
    assert _sent("training.session_soon", org["staff"]) == 1 and _sent("training.session_soon") == 2


def test_certificate_and_overdue_action_reminders_are_sent_once(org, training):
    Certificate.objects.create(
        course=training["course"],
        person=org["staff"],
        issued_on=at("2025-12-01").date(),
        expires_on=at("2026-12-01").date(),
    )
    plan = services.start_development_plan(
        person=org["staff"],
        actor=org["manager"],
        goals="提升沟通",
        reason="manager",
        mentor=org["manager"],
        due_date=at("2027-03-01").date(),
        today=at("2026-11-18").date(),
    )
    DevelopmentAction.objects.create(plan=plan, title="参加沟通课", due_date=at("2026-11-10").date())
    now = at("2026-11-18", 8)
    first = reminding.scan_all(now, only="training.certificates") + reminding.scan_all(now, only="training.development")
    again = reminding.scan_all(now, only="training.certificates") + reminding.scan_all(now, only="training.development")
    later = reminding.scan_all(now + timedelta(days=3), only="training.certificates") + reminding.scan_all(
        now + timedelta(days=3), only="training.development"
    )
    assert (first, again, later) == (3, 0, 0)  # certificate to staff; overdue action to staff and mentor


def test_the_report_counts_who_is_still_to_be_trained_per_regulation(org, training, client_for):
    _first, version = _publish_new_version(org, needs_training=True)
    course = training["course"]
    course.policies.set([version.policy])
    services.enroll(session=training["session"], people=[org["staff"]], actor=org["hr"])
    services.submit_quiz(
        course=course, person=org["staff"], answers=_answers(course, True), today=at("2026-11-20").date()
    )
    total = TrainingNeed.objects.filter(version=version).count()
    page = client_for(org["hr"]).get(reverse("training:reports")).content.decode()
    row = page[page.index(version.get_absolute_url()) :].split("</tr>")[0]
    assert f'<td class="text-end">{total - 1}</td><td class="text-end">1</td>' in row
