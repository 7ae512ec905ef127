"""Every write of the training module: keyword-only, one transaction each, notifications written
with it and mailed after commit. Capacity and attempts are checked under a row lock, so two
clicks or two people at once never overfill a session or exceed the attempts."""

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals import services as approvals
from apps.notifications.services import notify, notify_many
from apps.scheduling.calendar import is_working_day

from . import notification_kinds as kinds
from .models import (
    Attendance,
    Certificate,
    CheckIn,
    Choice,
    Course,
    DevelopmentAction,
    DevelopmentPlan,
    Enrollment,
    Plan,
    Question,
    QuizAttempt,
    Session,
    SurveyResponse,
    TrainingNeed,
)
from .selectors import in_audience


@transaction.atomic
def create_plan(*, actor, title: str, year: int, quarter: int | None = None, department=None, notes: str = "") -> Plan:
    return Plan.objects.create(
        title=title, year=year, quarter=quarter, department=department, notes=notes, created_by=actor
    )


@transaction.atomic
def add_course(*, plan: Plan, actor, **fields) -> Course:
    audience = {
        k: fields.pop(k)
        for k in ("audience_departments", "audience_positions", "audience_people", "policies")
        if k in fields
    }
    if not fields.get("trainer") and not fields.get("external_trainer"):
        raise ValidationError(_("Name the trainer: a colleague or an external trainer."))
    course = Course.objects.create(plan=plan, **fields)
    for name, objects in audience.items():
        getattr(course, name).set(objects)
    return course


@transaction.atomic
def submit_plan(*, plan: Plan, actor, today: date | None = None) -> Plan:
    """Send a draft plan (or one returned for revision) into its approval flow."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_draft:
        raise ValidationError(_("Only a draft plan can be submitted."))
    if not plan.courses.exists():
        raise ValidationError(_("A plan needs at least one course before it is submitted."))
    plan.status = Plan.Status.PENDING
    plan.save(update_fields=["status"])
    try:
        approvals.submit(kind="training.plan", obj=plan, proposer=actor, title=plan.title, today=today)
    except approvals.ApprovalError as exc:
        raise ValidationError(str(exc)) from None
    return plan


@transaction.atomic
def approve_plan(*, plan: Plan) -> Plan:
    """The plan's approval came through: sessions may now be scheduled."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    plan.status = Plan.Status.APPROVED
    plan.save(update_fields=["status"])
    return plan


@transaction.atomic
def mark_plan_pending(*, plan: Plan) -> Plan:
    """A returned plan was resubmitted through the approval page."""
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.PENDING)
    return plan


@transaction.atomic
def return_plan(*, plan: Plan) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    plan.status = Plan.Status.DRAFT
    plan.save(update_fields=["status"])
    return plan


def _check_session_time(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError(_("A session ends after it starts."))
    local = timezone.localtime(starts_at).date()
    if not is_working_day(local):
        raise ValidationError(
            _("%(day)s is not a working day (a weekend or public holiday): choose a working day.")
            % {"day": local.isoformat()}
        )


@transaction.atomic
def schedule_session(
    *, course: Course, actor, starts_at: datetime, ends_at: datetime, place: str, capacity: int
) -> Session:
    if not Plan.objects.filter(pk=course.plan_id, status=Plan.Status.APPROVED).exists():
        raise ValidationError(_("Sessions can be scheduled once the plan is approved."))
    _check_session_time(starts_at, ends_at)
    return Session.objects.create(
        course=course, starts_at=starts_at, ends_at=ends_at, place=place, capacity=capacity, organiser=actor
    )


@transaction.atomic
def reschedule_session(
    *, session: Session, actor, starts_at: datetime, ends_at: datetime, place: str, capacity: int
) -> Session:
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    if not session.is_scheduled:
        raise ValidationError(_("Only a scheduled session can be changed."))
    _check_session_time(starts_at, ends_at)
    taken = session.enrollments.count()
    if capacity < taken:
        raise ValidationError(_("%(n)s people are enrolled: the capacity cannot be below that.") % {"n": taken})
    session.starts_at, session.ends_at, session.place, session.capacity = starts_at, ends_at, place, capacity
    session.save()
    _tell_enrolled(session, _("Training session changed: %(course)s"))
    return session


def _tell_enrolled(session: Session, title: str) -> None:
    people = [e.person for e in session.enrollments.select_related("person")]
    if people:
        when = timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")
        notify_many(
            recipients=people,
            kind=kinds.SESSION_CHANGED,
            title=title % {"course": session.course.title},
            body=_("%(when)s, %(place)s.") % {"when": when, "place": session.place},
            url=session.get_absolute_url(),
        )


@transaction.atomic
def enroll(*, session: Session, people, actor) -> int:
    """Enrol several people at once: all of them, or none when the places do not suffice."""
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    if not session.is_scheduled:
        raise ValidationError(_("This session is not open for enrolment."))
    taken = set(session.enrollments.values_list("person_id", flat=True))
    new = [p for p in people if p.pk not in taken]
    free = session.capacity - len(taken)
    if len(new) > free:
        raise ValidationError(
            _("Only %(free)s places are left; %(n)s people were to be enrolled. Nobody was enrolled.")
            % {"free": max(free, 0), "n": len(new)}
        )
    Enrollment.objects.bulk_create([Enrollment(session=session, person=p, enrolled_by=actor) for p in new])
    others = [p for p in new if p.pk != actor.pk]
    if others:
        when = timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")
        notify_many(
            recipients=others,
            kind=kinds.ENROLLED,
            title=_("Training: %(course)s") % {"course": session.course.title},
            body=_("%(when)s, %(place)s.") % {"when": when, "place": session.place},
            url=session.get_absolute_url(),
        )
    return len(new)


def sign_up(*, session: Session, person) -> int:
    course = session.course
    if not course.open_signup:
        raise ValidationError(_("This course is not open for sign-up; the organiser enrols people."))
    if not in_audience(course, person):
        raise ValidationError(_("This course is meant for another audience."))
    return enroll(session=session, people=[person], actor=person)


@transaction.atomic
def withdraw(*, session: Session, person) -> None:
    Enrollment.objects.filter(session=session, person=person, status=Attendance.ENROLLED).delete()


@transaction.atomic
def record_attendance(*, session: Session, actor, statuses: dict[int, str]) -> Session:
    """statuses: {person id: present/absent/excused}; the session counts as held."""
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("A cancelled session has no attendance."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded once the session has started."))
    allowed = {Attendance.PRESENT, Attendance.ABSENT, Attendance.EXCUSED}
    rows = {e.person_id: e for e in session.enrollments.all()}
    for person_id, status in statuses.items():
        if status not in allowed or person_id not in rows:
            raise ValidationError(_("Attendance names someone who is not enrolled, or an unknown status."))
        rows[person_id].status = status
    Enrollment.objects.bulk_update([rows[pid] for pid in statuses], ["status"])
    session.status = Session.Status.DONE
    session.save(update_fields=["status"])
    course = session.course
    present = [pid for pid, status in statuses.items() if status == Attendance.PRESENT]
    if present and not course.questions.exists():
        # A regulation course without a quiz: attending it is the training on the regulations.
        _trained_on_regulations(course=course, people=present)
    return session


@transaction.atomic
def cancel_session(*, session: Session, actor) -> Session:
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    if not session.is_scheduled:
        raise ValidationError(_("Only a scheduled session can be cancelled."))
    session.status = Session.Status.CANCELLED
    session.save(update_fields=["status"])
    _tell_enrolled(session, _("Training session cancelled: %(course)s"))
    return session


@transaction.atomic
def add_question(*, course: Course, text: str, kind: str, choices: list[tuple[str, bool]]) -> Question:
    choices = [(t.strip(), c) for t, c in choices if t.strip()]
    if len(choices) < 2:
        raise ValidationError(_("A question needs at least two answers."))
    right = sum(1 for _t, c in choices if c)
    if right == 0:
        raise ValidationError(_("Mark at least one answer as correct."))
    if kind == Question.Kind.SINGLE and right != 1:
        raise ValidationError(_("A one-answer question has exactly one correct answer."))
    question = Question.objects.create(course=course, text=text, kind=kind, order=course.questions.count())
    Choice.objects.bulk_create([Choice(question=question, text=t, correct=c) for t, c in choices])
    return question


def grade(course: Course, answers: dict[int, set[int]]) -> int:
    """Percent of questions answered exactly right (all correct choices, no wrong one)."""
    questions = list(course.questions.prefetch_related("choices"))
    if not questions:
        return 0
    right = 0
    for q in questions:
        correct = {c.pk for c in q.choices.all() if c.correct}
        if set(answers.get(q.pk, set())) == correct:
            right += 1
    return round(100 * right / len(questions))


@transaction.atomic
def submit_quiz(*, course: Course, person, answers: dict[int, set[int]], today: date) -> QuizAttempt:
    """One attempt. Passing grants the certificate (when the course has one) and counts as
    acknowledging the regulations the course covers."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not course.questions.exists():
        raise ValidationError(_("This course has no quiz."))
    if not Enrollment.objects.filter(session__course=course, person=person).exists():
        raise ValidationError(_("Take part in a session of this course before its quiz."))
    attempts = QuizAttempt.objects.filter(course=course, person=person)
    if attempts.filter(passed=True).exists():
        raise ValidationError(_("You have passed this quiz already."))
    used = attempts.count()
    if used >= course.max_attempts:
        raise ValidationError(_("All %(n)s attempts are used.") % {"n": course.max_attempts})
    score = grade(course, answers)
    attempt = QuizAttempt.objects.create(
        course=course,
        person=person,
        number=used + 1,
        score=score,
        passed=score >= course.pass_mark,
        answers={str(k): sorted(v) for k, v in answers.items()},
    )
    if attempt.passed:
        if course.certificate_months:
            Certificate.objects.get_or_create(
                course=course,
                person=person,
                issued_on=today,
                defaults={"expires_on": today + relativedelta(months=course.certificate_months)},
            )
        acknowledge_covered_regulations(course=course, person=person)
    return attempt


def acknowledge_covered_regulations(*, course: Course, person) -> int:
    """Passing the quiz of a regulation course acknowledges the regulations' current versions."""
    return _trained_on_regulations(course=course, people=[person.pk])


def _trained_on_regulations(*, course: Course, people) -> int:
    """People trained on a course (passed its quiz, or attended one without a quiz): the
    versions in force of the regulations it covers count as acknowledged through training (for
    those they ask), and their training needs on those versions are met. Returns the number
    of acknowledgements (person × version) that now hold."""
    from apps.policies import services as policy_services
    from apps.policies.models import AckScope, AckSource, PolicyVersion, VersionStatus

    versions = PolicyVersion.objects.filter(policy__in=course.policies.all(), status=VersionStatus.PUBLISHED)
    count = 0
    for version in versions.exclude(ack_scope=AckScope.NONE).select_related("policy"):
        count += policy_services.acknowledge_many(
            user_ids=people, version=version, source=AckSource.TRAINING, via=course.title
        )
    TrainingNeed.objects.filter(person_id__in=people, version__in=versions, met_at__isnull=True).update(
        met_at=timezone.now(), met_by=course
    )
    return count


def needs_from_published_version(sender, *, version, **kwargs) -> int:
    """A regulation version marked as needing training took effect: everyone it asks to
    acknowledge gets the training need (once; publishing is once per version anyway)."""
    from apps.policies.selectors import ack_required_users

    if not version.needs_training:
        return 0
    people = ack_required_users(version).values_list("pk", flat=True)
    made = TrainingNeed.objects.bulk_create(
        [TrainingNeed(person_id=pk, version=version) for pk in people.iterator()],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return len(made)


@transaction.atomic
def submit_survey(*, session: Session, person, rating: int, comment: str = "") -> SurveyResponse:
    if not 1 <= int(rating) <= 5:
        raise ValidationError(_("Rate from 1 to 5."))
    if not Enrollment.objects.filter(session=session, person=person, status=Attendance.PRESENT).exists():
        raise ValidationError(_("Only people who attended rate a session."))
    response, created = SurveyResponse.objects.get_or_create(
        session=session, person=person, defaults={"rating": rating, "comment": comment}
    )
    if not created:
        raise ValidationError(_("You have rated this session already."))
    return response


@transaction.atomic
def start_development_plan(
    *, person, actor, goals: str, due_date: date, reason: str, mentor=None, appraisal=None, today: date
) -> DevelopmentPlan:
    if not goals.strip():
        raise ValidationError(_("Write the plan's goals."))
    if due_date <= today:
        raise ValidationError(_("The plan's due date must be after today."))
    plan = DevelopmentPlan.objects.create(
        person=person,
        goals=goals.strip(),
        due_date=due_date,
        reason=reason,
        mentor=mentor,
        appraisal=appraisal,
        created_by=actor,
    )
    if actor is None or person.pk != actor.pk:
        notify(
            recipient=person,
            kind=kinds.PLAN_STARTED,
            title=_("A development plan was started for you"),
            body=goals.strip()[:200],
            url=plan.get_absolute_url(),
        )
    return plan


@transaction.atomic
def add_action(
    *, plan: DevelopmentPlan, actor, title: str, due_date: date, course=None, today: date
) -> DevelopmentAction:
    if due_date < today:
        raise ValidationError(_("The due date cannot be in the past."))
    if not plan.is_open:
        raise ValidationError(_("This plan is closed."))
    return DevelopmentAction.objects.create(plan=plan, title=title, due_date=due_date, course=course)


@transaction.atomic
def complete_action(*, action: DevelopmentAction, actor) -> DevelopmentAction:
    action = DevelopmentAction.objects.select_for_update().get(pk=action.pk)
    if action.done_at is None:
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
    return action


@transaction.atomic
def check_in(*, plan: DevelopmentPlan, actor, note: str) -> CheckIn:
    if not note.strip():
        raise ValidationError(_("Write a note for the check-in."))
    return CheckIn.objects.create(plan=plan, by=actor, note=note.strip())


@transaction.atomic
def close_plan(*, plan: DevelopmentPlan, actor, outcome: str, done: bool = True) -> DevelopmentPlan:
    plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_open:
        raise ValidationError(_("This plan is closed already."))
    if not outcome.strip():
        raise ValidationError(_("Write the plan's outcome."))
    plan.status = DevelopmentPlan.Status.DONE if done else DevelopmentPlan.Status.CANCELLED
    plan.outcome = outcome.strip()
    plan.save(update_fields=["status", "outcome"])
    return plan


def plans_from_appraisals(*, today: date) -> int:
    """Every published appraisal graded 不合格 without a development plan gets one (state-based:
    a second run starts nothing new). The reviewer is the mentor."""
    from apps.appraisals.models import Appraisal, Grade

    due = today + timedelta(days=90)
    started = 0
    finished = ("published", "acknowledged", "objected", "resolved")
    rows = Appraisal.objects.filter(status__in=finished, development_plan__isnull=True).filter(
        final_grade=Grade.FAIL
    ).select_related("employee", "reviewer", "cycle") | Appraisal.objects.filter(
        status__in=finished, development_plan__isnull=True, final_grade="", grade=Grade.FAIL
    ).select_related("employee", "reviewer", "cycle")
    for appraisal in rows:
        start_development_plan(
            person=appraisal.employee,
            actor=None,
            reason=DevelopmentPlan.Reason.APPRAISAL,
            goals=_("Bring the results assessed in %(cycle)s up to at least %(grade)s.")
            % {"cycle": appraisal.cycle, "grade": Grade.PASS.label},
            due_date=due,
            mentor=appraisal.reviewer,
            appraisal=appraisal,
            today=today,
        )
        started += 1
    return started
