import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from apps.notifications.models import Notification
from apps.training import services
from apps.training.models import Certificate, Enrollment, QuizAttempt, Session
from apps.training.selectors import person_record

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Messages are compared in English here; their Chinese is checked by the catalogue test."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_a_session_needs_an_approved_plan_and_a_working_day(org, training):
    course = services.add_course(
        plan=training["draft"],
        actor=org["manager"],
        title="销售技巧",
        hours=Decimal(4),
        planned_month=12,
        external_trainer="外部讲师",
    )
    with pytest.raises(ValidationError, match="once the plan is approved"):
        services.schedule_session(
            course=course,
            actor=org["manager"],
            starts_at=at("2026-11-20"),
            ends_at=at("2026-11-20", 12),
            place="x",
            capacity=10,
        )
    with pytest.raises(ValidationError, match="not a working day"):
        services.schedule_session(
            course=training["course"],
            actor=org["hr"],
            starts_at=at("2026-11-21"),
            ends_at=at("2026-11-21", 12),
            place="x",
            capacity=10,
        )
    with pytest.raises(ValidationError, match="not a working day"):  # National Day, a Thursday
        services.schedule_session(
            course=training["course"],
            actor=org["hr"],
            starts_at=at("2026-10-01"),
            ends_at=at("2026-10-01", 12),
            place="x",
            capacity=10,
        )
    with pytest.raises(ValidationError, match="ends after it starts"):
        services.schedule_session(
            course=training["course"],
            actor=org["hr"],
            starts_at=at("2026-11-20", 12),
            ends_at=at("2026-11-20", 9),
            place="x",
            capacity=10,
        )


def test_a_course_names_its_trainer_and_a_plan_needs_courses_to_be_submitted(org, training):
    with pytest.raises(ValidationError, match="Name the trainer"):
        services.add_course(plan=training["draft"], actor=org["manager"], title="x", hours=1, planned_month=1)
    with pytest.raises(ValidationError, match="at least one course"):
        services.submit_plan(plan=training["draft"], actor=org["manager"])


def test_enrolling_over_capacity_enrols_nobody_and_says_how_many_places_are_left(org, training):
    session = training["session"]
    services.enroll(session=session, people=[org["staff"], org["manager"]], actor=org["hr"])
    with pytest.raises(ValidationError, match="Only 1 places are left; 2 people"):
        services.enroll(session=session, people=[org["ops"], org["outsider"]], actor=org["hr"])
    assert Enrollment.objects.filter(session=session).count() == 2
    assert services.enroll(session=session, people=[org["staff"], org["ops"]], actor=org["hr"]) == 1  # staff again
    assert Notification.objects.filter(kind="training.enrolled").count() == 3


@pytest.mark.django_db(transaction=True)
def test_ten_people_signing_up_at_once_for_three_places_fill_exactly_three(org, pinned_today):
    from django.contrib.auth import get_user_model

    plan = services.create_plan(actor=org["hr"], title="p", year=2026)
    course = services.add_course(
        plan=plan, actor=org["hr"], title="c", hours=1, planned_month=11, trainer=org["ops"], open_signup=True
    )
    services.approve_plan(plan=plan)
    session = services.schedule_session(
        course=course, actor=org["hr"], starts_at=at("2026-11-20"), ends_at=at("2026-11-20", 10), place="x", capacity=3
    )
    people = [get_user_model().objects.create(username=f"p{i}") for i in range(10)]
    barrier, outcomes = threading.Barrier(10), []

    def go(person):
        try:
            barrier.wait()
            services.sign_up(session=Session.objects.get(pk=session.pk), person=person)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["full"] * 7 + ["ok"] * 3
    assert Enrollment.objects.filter(session=session).count() == 3


def test_sign_up_only_where_open_and_for_the_audience(org, training):
    course = training["course"]
    course.audience_departments.set([org["ops_dept"]])
    with pytest.raises(ValidationError, match="another audience"):
        services.sign_up(session=training["session"], person=org["staff"])
    services.sign_up(session=training["session"], person=org["ops"])  # in the ops subtree
    course.open_signup = False
    course.save()
    with pytest.raises(ValidationError, match="not open for sign-up"):
        services.sign_up(session=Session.objects.get(pk=training["session"].pk), person=org["outsider"])


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("single", [("a", False), ("b", False)], "at least one answer as correct"),
        ("single", [("a", True), ("b", True)], "exactly one correct"),
        ("multiple", [("a", True)], "at least two answers"),
    ],
)
def test_questions_that_cannot_be_answered_right_are_refused(org, training, kind, choices, message):
    with pytest.raises(ValidationError, match=message):
        services.add_question(course=training["course"], text="q", kind=kind, choices=choices)


def _answers(course, *, right: bool):
    answers = {}
    for q in course.questions.prefetch_related("choices"):
        answers[q.pk] = {c.pk for c in q.choices.all() if c.correct == right}
    return answers


def test_attendance_then_quiz_with_retries_certificate_and_record(org, training):
    session, course = training["session"], training["course"]
    services.enroll(session=session, people=[org["staff"], org["manager"]], actor=org["hr"])
    with pytest.raises(ValidationError, match="once the session has started"):
        services.record_attendance(session=session, actor=org["ops"], statuses={org["staff"].pk: "present"})
    with time_machine.travel("2026-11-20 11:30 +0800", tick=False):
        services.record_attendance(
            session=session, actor=org["ops"], statuses={org["staff"].pk: "present", org["manager"].pk: "absent"}
        )
        with pytest.raises(ValidationError, match="not enrolled"):
            services.record_attendance(session=session, actor=org["ops"], statuses={org["hr"].pk: "present"})
    first = services.submit_quiz(
        course=course,
        person=org["staff"],
        answers=_answers(course, right=False),
        today=training["session"].starts_at.date(),
    )
    assert (first.score, first.passed) == (0, False)
    second = services.submit_quiz(
        course=course,
        person=org["staff"],
        answers=_answers(course, right=True),
        today=training["session"].starts_at.date(),
    )
    assert (second.number, second.score, second.passed) == (2, 100, True)
    cert = Certificate.objects.get(person=org["staff"])
    assert (cert.issued_on.isoformat(), cert.expires_on.isoformat()) == ("2026-11-20", "2027-11-20")
    with pytest.raises(ValidationError, match="passed this quiz already"):
        services.submit_quiz(course=course, person=org["staff"], answers={}, today=cert.issued_on)
    record = person_record(org["staff"], year=2026, today=cert.issued_on)
    assert record.hours == Decimal(2) and record.short_by == Decimal(38)
    assert [(line.course.title, line.attended, line.best_score, line.passed) for line in record.lines] == [
        ("制度宣贯培训", True, 100, True)
    ]
    assert person_record(org["manager"], year=2026, today=cert.issued_on).hours == 0  # absent


def test_the_attempts_run_out(org, training):
    course = training["course"]
    services.enroll(session=training["session"], people=[org["staff"]], actor=org["hr"])
    for _n in range(2):
        services.submit_quiz(course=course, person=org["staff"], answers={}, today=at("2026-11-20").date())
    with pytest.raises(ValidationError, match="All 2 attempts"):
        services.submit_quiz(course=course, person=org["staff"], answers={}, today=at("2026-11-20").date())
    assert QuizAttempt.objects.count() == 2


def test_passing_a_regulation_course_acknowledges_its_regulations(org, training):
    from apps.policies.models import Acknowledgement
    from apps.policies.tests.factories import make_published

    version = make_published(org=org, ack_scope="everyone")
    course = training["course"]
    course.policies.set([version.policy])
    services.enroll(session=training["session"], people=[org["staff"]], actor=org["hr"])
    services.submit_quiz(
        course=course, person=org["staff"], answers=_answers(course, right=True), today=at("2026-11-20").date()
    )
    assert Acknowledgement.objects.filter(user=org["staff"], version=version).exists()


def test_only_attendees_rate_once(org, training):
    session = training["session"]
    services.enroll(session=session, people=[org["staff"], org["manager"]], actor=org["hr"])
    with time_machine.travel("2026-11-20 11:30 +0800", tick=False):
        services.record_attendance(
            session=session, actor=org["hr"], statuses={org["staff"].pk: "present", org["manager"].pk: "excused"}
        )
    with pytest.raises(ValidationError, match="Only people who attended"):
        services.submit_survey(session=session, person=org["manager"], rating=5)
    services.submit_survey(session=session, person=org["staff"], rating=4, comment="有用")
    with pytest.raises(ValidationError, match="rated this session already"):
        services.submit_survey(session=session, person=org["staff"], rating=5)


def test_a_fail_grade_starts_one_development_plan(org, training):
    from datetime import timedelta

    from apps.appraisals.defaults import ensure_default_template
    from apps.appraisals.models import Appraisal
    from apps.appraisals.opening import appraisal_cycle_open

    ensure_default_template()
    today = at("2026-11-18").date()
    appraisal_cycle_open(
        code="2026Q3",
        today=today,
        notify=False,
        self_deadline=today + timedelta(days=5),
        review_deadline=today + timedelta(days=10),
        calibration_deadline=today + timedelta(days=15),
        close_date=today + timedelta(days=30),
    )
    Appraisal.objects.filter(employee=org["staff"]).update(grade="fail", status="published")
    Appraisal.objects.filter(employee=org["ops"]).update(grade="good", status="published")
    Appraisal.objects.filter(employee=org["hr"]).update(grade="pass", final_grade="fail", status="acknowledged")
    assert services.plans_from_appraisals(today=today) == 2
    assert services.plans_from_appraisals(today=today) == 0
    plan = Appraisal.objects.get(employee=org["staff"]).development_plan
    assert plan.person == org["staff"] and plan.mentor == org["manager"] and plan.reason == "appraisal"
    assert Notification.objects.filter(recipient=org["staff"], kind="training.development_started").exists()


def test_the_career_path_lists_what_the_person_still_lacks(org, training):
    from apps.departments.models import Position
    from apps.training.models import CareerStep
    from apps.training.selectors import career_steps

    here = Position.objects.create(department=org["sales_dept"], name="销售专员", code="sales-rep")
    next_post = Position.objects.create(department=org["sales_dept"], name="销售主管", code="sales-lead")
    org["staff"].position = here
    org["staff"].save()
    step = CareerStep.objects.create(from_position=here, to_position=next_post, min_grade="good")
    step.courses.set([training["course"]])
    [lacking] = career_steps(org["staff"])
    assert lacking.position == next_post and lacking.missing_courses == [training["course"]]
    assert not lacking.grade_ok  # no appraisal yet
    services.enroll(session=training["session"], people=[org["staff"]], actor=org["hr"])
    with time_machine.travel("2026-11-20 11:30 +0800", tick=False):
        services.record_attendance(session=training["session"], actor=org["hr"], statuses={org["staff"].pk: "present"})
    assert career_steps(org["staff"])[0].missing_courses == []


def test_a_plan_goes_through_the_approvals_engine_and_only_then_takes_sessions(org, training):
    from apps.approvals import services as approvals
    from apps.training.models import Plan

    plan = training["draft"]  # the sales department's, drafted by its head
    course = services.add_course(
        plan=plan,
        actor=org["manager"],
        title="销售技巧",
        hours=Decimal(4),
        planned_month=12,
        external_trainer="外部讲师",
        budget=Decimal("60000"),
    )
    services.submit_plan(plan=plan, actor=org["manager"])
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PENDING
    with pytest.raises(ValidationError, match="once the plan is approved"):
        services.schedule_session(
            course=course,
            actor=org["manager"],
            starts_at=at("2026-11-20"),
            ends_at=at("2026-11-20", 12),
            place="x",
            capacity=10,
        )
    request = approvals.request_for("training.plan", plan.pk)
    approvals.act(request=request, actor=org["hr"], operation="approve", today=at("2026-11-18").date())
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PENDING  # 60,000 yuan: the general manager's stage applies
    approvals.act(request=request, actor=org["gm"], operation="approve", today=at("2026-11-18").date())
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    services.schedule_session(
        course=course,
        actor=org["manager"],
        starts_at=at("2026-11-20"),
        ends_at=at("2026-11-20", 12),
        place="x",
        capacity=10,
    )


def test_a_returned_plan_goes_back_to_draft_with_the_reason(org, training):
    from apps.approvals import services as approvals
    from apps.training.models import Plan

    plan = training["draft"]
    services.add_course(
        plan=plan,
        actor=org["manager"],
        title="销售技巧",
        hours=Decimal(4),
        planned_month=12,
        external_trainer="外部讲师",
    )
    services.submit_plan(plan=plan, actor=org["manager"])
    with pytest.raises(ValidationError, match="Only a draft"):
        services.submit_plan(plan=plan, actor=org["manager"])
    request = approvals.request_for("training.plan", plan.pk)
    approvals.act(
        request=request, actor=org["hr"], operation="return", opinion="预算需要细化", today=at("2026-11-18").date()
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
