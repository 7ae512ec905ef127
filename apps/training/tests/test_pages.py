from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.training import services
from apps.training.models import DevelopmentPlan, Enrollment

from .conftest import at

pytestmark = pytest.mark.django_db


def _status(client, url):
    return client.get(url).status_code


@pytest.mark.parametrize(
    ("role", "draft", "record_of_staff", "reports"),
    [
        ("staff", 404, 200, 403),
        ("manager", 200, 200, 403),  # heads sales: sees the sales draft and his report's record
        ("hr", 200, 200, 200),
        ("admin", 200, 200, 200),
        ("ops", 404, 404, 403),
        ("outsider", 404, 404, 403),
        ("gm", 200, 200, 403),  # heads the company
    ],
)
def test_who_sees_what(org, training, client_for, role, draft, record_of_staff, reports):
    client = client_for(org[role])
    assert _status(client, reverse("training:plan", args=[training["plan"].pk])) == 200  # approved: everyone
    assert _status(client, reverse("training:course", args=[training["course"].pk])) == 200
    assert _status(client, reverse("training:plan", args=[training["draft"].pk])) == draft
    assert _status(client, reverse("training:record", args=["staff"])) == record_of_staff
    assert _status(client, reverse("training:reports")) == reports


def test_anonymous_people_log_in_first(client, training):
    response = client.get(reverse("training:home"))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_survey_comments_and_quiz_answers_never_reach_the_trainer(org, training, client_for):
    session = training["session"]
    services.enroll(session=session, people=[org["staff"]], actor=org["hr"])
    with time_machine.travel("2026-11-20 11:30 +0800", tick=False):
        services.record_attendance(session=session, actor=org["ops"], statuses={org["staff"].pk: "present"})
        services.submit_survey(session=session, person=org["staff"], rating=2, comment="讲得太快了")
        trainer_page = client_for(org["ops"]).get(session.get_absolute_url()).content.decode()
        assert "讲得太快了" not in trainer_page and org["staff"].name in trainer_page  # the roster, not the comment


def test_enrolling_unknown_logins_enrols_nobody_and_keeps_what_was_typed(org, training, client_for):
    client = client_for(org["hr"])
    url = training["session"].get_absolute_url()
    page = client.post(url, {"action": "enroll", "logins": "staff, nobody-here"}).content.decode()
    assert "nobody-here" in page and not Enrollment.objects.exists()
    response = client.post(url, {"action": "enroll", "logins": "staff\nmanager"})
    assert response.status_code == 302 and Enrollment.objects.count() == 2


def test_staff_signs_up_and_cannot_take_attendance(org, training, client_for):
    client = client_for(org["staff"])
    session = training["session"]
    client.post(reverse("training:session_sign_up", args=[session.pk]))
    assert Enrollment.objects.filter(person=org["staff"]).exists()
    with time_machine.travel("2026-11-20 11:30 +0800", tick=False):
        client = client_for(org["staff"])  # a fresh sign-in: the session cookie lives 12 hours
        assert (
            client.post(
                reverse("training:session_attendance", args=[session.pk]), {f"person-{org['staff'].pk}": "present"}
            ).status_code
            == 403
        )


def test_the_quiz_page_grades_and_shows_the_result(org, training, client_for):
    course = training["course"]
    services.enroll(session=training["session"], people=[org["staff"]], actor=org["hr"])
    client = client_for(org["staff"])
    page = client.get(reverse("training:quiz", args=[course.pk])).content.decode()
    assert 'type="checkbox"' in page and 'type="radio"' in page
    data = {}
    for q in course.questions.prefetch_related("choices"):
        data[f"q{q.pk}"] = [c.pk for c in q.choices.all() if c.correct]
    response = client.post(reverse("training:quiz", args=[course.pk]), data)
    assert response.status_code == 302
    assert "100%" in client.get(course.get_absolute_url()).content.decode()


def test_a_manager_starts_a_development_plan_for_a_report_but_not_for_a_stranger(org, training, client_for):
    client = client_for(org["manager"])
    data = {"goals": "提升客户沟通能力", "due_date": "2027-03-31", "mentor": org["manager"].pk}
    assert client.post(reverse("training:development_start", args=["staff"]), data).status_code == 302
    plan = DevelopmentPlan.objects.get()
    assert plan.person == org["staff"] and plan.reason == "manager"
    assert client.post(reverse("training:development_start", args=["ops"]), data).status_code == 404
    assert client_for(org["staff"]).post(reverse("training:development_start", args=["staff"]), data).status_code == 403
    page = client_for(org["staff"]).get(plan.get_absolute_url())
    assert page.status_code == 200 and client_for(org["ops"]).get(plan.get_absolute_url()).status_code == 404


def _grow(org, training, n):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    plan = training["plan"]
    for i in range(n):
        course = services.add_course(
            plan=plan, actor=org["hr"], title=f"课程{i}", hours=Decimal(1), planned_month=11, trainer=org["ops"]
        )
        session = services.schedule_session(
            course=course,
            actor=org["hr"],
            starts_at=at("2026-11-20"),
            ends_at=at("2026-11-20", 10),
            place="x",
            capacity=50,
        )
        people = [User.objects.create(username=f"g{n}-{i}-{k}", department=org["sales_dept"]) for k in range(3)]
        services.enroll(session=session, people=[org["staff"], *people], actor=org["hr"])
        with time_machine.travel("2026-11-20 11:00 +0800", tick=False):
            services.record_attendance(
                session=session, actor=org["hr"], statuses={p.pk: "present" for p in [org["staff"], *people]}
            )
        services.submit_survey(session=session, person=org["staff"], rating=4)
        services.start_development_plan(
            person=people[0],
            actor=org["manager"],
            goals="g",
            reason="manager",
            due_date=at("2027-01-01").date(),
            today=at("2026-11-18").date(),
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("staff", lambda t: reverse("training:home")),
        ("staff", lambda t: reverse("training:record", args=["staff"])),
        ("hr", lambda t: reverse("training:reports")),
        ("hr", lambda t: reverse("training:plan", args=[t["plan"].pk])),
        ("manager", lambda t: reverse("training:development_list")),
        ("hr", lambda t: t["session"].get_absolute_url()),
    ],
)
def test_page_queries_do_not_grow_with_courses_people_and_attendance(org, training, client_for, role, url):
    client = client_for(org[role])
    _grow(org, training, 2)
    small = _queries(client, url(training))
    _grow(org, training, 12)
    assert _queries(client, url(training)) == small


def test_the_report_export_opens_with_hours_per_person(org, training, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    _grow(org, training, 2)
    response = client_for(org["hr"]).get(reverse("training:reports_export") + "?year=2026")
    wb = load_workbook(BytesIO(response.content))
    rows = {r[0]: r for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert rows["staff"][3] == 2 and rows["staff"][5] == 38
    assert response["Cache-Control"] == "private, no-store"
    assert client_for(org["staff"]).get(reverse("training:reports_export")).status_code == 403
