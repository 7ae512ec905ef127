"""Reads of the training module, with the joins and aggregates they need."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from .models import (
    Attendance,
    Certificate,
    Course,
    DevelopmentPlan,
    Enrollment,
    Plan,
    QuizAttempt,
    Session,
    SurveyResponse,
)
from .permissions import headed_paths, is_training_admin

MIN_HOURS_PER_YEAR = Decimal("40")  # the company's minimum training hours per person and year


def visible_plans(user) -> QuerySet[Plan]:
    qs = Plan.objects.select_related("department")
    if is_training_admin(user):
        return qs
    mine = Q(status=Plan.Status.APPROVED) | Q(created_by=user)
    for path in headed_paths(user):
        mine |= Q(department__path__startswith=path)
    return qs.filter(mine)


def visible_courses(user) -> QuerySet[Course]:
    return Course.objects.filter(plan__in=visible_plans(user)).select_related("plan", "trainer")


def course_for(user, pk: int) -> Course | None:
    return visible_courses(user).filter(pk=pk).first()


def session_for(user, pk: int) -> Session | None:
    return (
        Session.objects.filter(course__in=visible_courses(user), pk=pk)
        .select_related("course", "course__plan", "course__trainer", "organiser")
        .first()
    )


def in_audience(course: Course, person) -> bool:
    """Audience empty: everyone. Otherwise the listed people, positions and departments (subtrees)."""
    people = set(course.audience_people.values_list("pk", flat=True))
    positions = set(course.audience_positions.values_list("pk", flat=True))
    paths = list(course.audience_departments.values_list("path", flat=True))
    if not (people or positions or paths):
        return True
    if person.pk in people or (person.position_id and person.position_id in positions):
        return True
    dept_path = person.department.path if person.department_id else ""
    return any(dept_path.startswith(p) for p in paths)


def seats(session: Session) -> int:
    return session.enrollments.count()


def plan_progress(plans) -> dict[int, dict]:
    """Per plan: courses, courses held (at least one session held), budget and cost; 2 queries."""
    plan_ids = [p.pk for p in plans]
    rows = (
        Course.objects.filter(plan_id__in=plan_ids)
        .values("plan_id")
        .annotate(
            courses=Count("pk", distinct=True),
            budget=Sum("budget"),
            cost=Sum("cost"),
        )
    )
    held = dict(
        Course.objects.filter(plan_id__in=plan_ids)
        .filter(Exists(Session.objects.filter(course=OuterRef("pk"), status=Session.Status.DONE)))
        .values("plan_id")
        .annotate(n=Count("pk"))
        .values_list("plan_id", "n")
    )
    out = {}
    for r in rows:
        n, done = r["courses"], held.get(r["plan_id"], 0)
        out[r["plan_id"]] = {
            "courses": n,
            "held": done,
            "rate": round(100 * done / n) if n else 0,
            "budget": r["budget"] or Decimal(0),
            "cost": r["cost"] or Decimal(0),
        }
    return out


@dataclass
class CourseLine:
    course: Course
    attended: bool = False
    best_score: int | None = None
    passed: bool = False
    hours: Decimal = Decimal(0)


@dataclass
class Record:
    person: object
    year: int
    hours: Decimal
    minimum: Decimal
    lines: list[CourseLine] = field(default_factory=list)
    certificates: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)

    @property
    def short_by(self) -> Decimal:
        return max(self.minimum - self.hours, Decimal(0))


def attended_course_ids(person, year: int) -> set[int]:
    return set(
        Enrollment.objects.filter(person=person, status=Attendance.PRESENT, session__starts_at__year=year)
        .values_list("session__course_id", flat=True)
        .distinct()
    )


def person_record(person, *, year: int, today: date) -> Record:
    """Hours this year (each attended course once), courses with results, certificates; 5 queries."""
    attended = attended_course_ids(person, year)
    enrolled = (
        Enrollment.objects.filter(person=person, session__starts_at__year=year)
        .values_list("session__course_id", flat=True)
        .distinct()
    )
    courses = {c.pk: c for c in Course.objects.filter(pk__in=set(enrolled) | attended).select_related("plan")}
    best = dict(
        QuizAttempt.objects.filter(person=person, course_id__in=courses)
        .values("course_id")
        .annotate(best=Max("score"))
        .values_list("course_id", "best")
    )
    passed = set(
        QuizAttempt.objects.filter(person=person, course_id__in=courses, passed=True).values_list(
            "course_id", flat=True
        )
    )
    lines = []
    for pk, course in sorted(courses.items(), key=lambda kv: kv[1].title):
        lines.append(
            CourseLine(
                course=course,
                attended=pk in attended,
                best_score=best.get(pk),
                passed=pk in passed,
                hours=course.hours if pk in attended else Decimal(0),
            )
        )
    certificates = list(Certificate.objects.filter(person=person).select_related("course").order_by("expires_on"))
    upcoming = list(
        Enrollment.objects.filter(person=person, session__starts_at__date__gte=today, session__status="scheduled")
        .select_related("session", "session__course")
        .order_by("session__starts_at")[:10]
    )
    return Record(
        person=person,
        year=year,
        hours=sum((line.hours for line in lines), Decimal(0)),
        minimum=MIN_HOURS_PER_YEAR,
        lines=lines,
        certificates=certificates,
        upcoming=upcoming,
    )


_HOURS_BY_DEPARTMENT = """
SELECT u.department_id, COUNT(*), COALESCE(SUM(h.hours), 0), COUNT(*) FILTER (WHERE COALESCE(h.hours, 0) < %s)
FROM accounts_user u
LEFT JOIN (
    SELECT person_id, SUM(hours) AS hours FROM (
        SELECT DISTINCT e.person_id, c.id, c.hours
        FROM training_enrollment e
        JOIN training_session s ON s.id = e.session_id
        JOIN training_course c ON c.id = s.course_id
        WHERE e.status = 'present' AND s.starts_at >= %s AND s.starts_at < %s
    ) attended GROUP BY person_id
) h ON h.person_id = u.id
WHERE u.is_active AND u.department_id IS NOT NULL
GROUP BY u.department_id
"""


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime(year, 1, 1), tz), timezone.make_aware(datetime(year + 1, 1, 1), tz))


def hours_by_department(year: int) -> list[dict]:
    """Training hours per department in a year: people, hours, average, and how many are short
    of the minimum (each attended course counted once per person). One aggregate query in
    SQL, whatever the number of attendance rows, plus the departments."""
    from apps.departments.models import Department

    with connection.cursor() as cur:
        cur.execute(_HOURS_BY_DEPARTMENT, [MIN_HOURS_PER_YEAR, *year_bounds(year)])
        rows = cur.fetchall()
    depts = {d.pk: d for d in Department.objects.filter(pk__in=[r[0] for r in rows]).only("pk", "name", "code", "path")}
    table = []
    for dept_id, people, hours, short in rows:
        hours = Decimal(hours)
        table.append(
            {
                "department": depts[dept_id],
                "people": people,
                "hours": hours,
                "short": short,
                "average": (hours / people).quantize(Decimal("0.1")) if people else Decimal(0),
            }
        )
    return sorted(table, key=lambda r: r["department"].path)


def course_results(year: int) -> list[dict]:
    """Per course held this year: enrolled, present, attendance rate, pass rate, satisfaction."""
    # Counted on the enrolments alone (grouped by course), not through a join of every
    # course with every enrolment and a DISTINCT count: the same figures, a fraction of the work.
    start, end = year_bounds(year)
    in_year = Session.objects.filter(starts_at__gte=start, starts_at__lt=end)
    courses = list(
        Course.objects.filter(pk__in=in_year.values("course_id"))
        .select_related("plan")
        .order_by("planned_month", "title")
    )
    ids = [c.pk for c in courses]
    counts = {
        row["session__course_id"]: row
        for row in Enrollment.objects.filter(session__in=in_year)
        .values("session__course_id")
        .annotate(enrolled=Count("pk"), present=Count("pk", filter=Q(status=Attendance.PRESENT)))
    }
    for c in courses:
        row = counts.get(c.pk, {})
        c.enrolled, c.present = row.get("enrolled", 0), row.get("present", 0)
    takers = dict(
        QuizAttempt.objects.filter(course_id__in=ids)
        .values("course_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("course_id", "n")
    )
    passers = dict(
        QuizAttempt.objects.filter(course_id__in=ids, passed=True)
        .values("course_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("course_id", "n")
    )
    ratings = dict(
        SurveyResponse.objects.filter(session__course_id__in=ids)
        .values("session__course_id")
        .annotate(avg=Avg("rating"))
        .values_list("session__course_id", "avg")
    )
    out = []
    for c in courses:
        out.append(
            {
                "course": c,
                "enrolled": c.enrolled,
                "present": c.present,
                "attendance": round(100 * c.present / c.enrolled) if c.enrolled else None,
                "pass_rate": round(100 * passers.get(c.pk, 0) / takers[c.pk]) if takers.get(c.pk) else None,
                "satisfaction": round(ratings[c.pk], 1) if ratings.get(c.pk) is not None else None,
            }
        )
    return out


def visible_development_plans(user) -> QuerySet[DevelopmentPlan]:
    qs = DevelopmentPlan.objects.select_related("person", "person__department", "mentor")
    if is_training_admin(user):
        return qs
    mine = Q(person=user) | Q(mentor=user) | Q(person__manager=user)
    for path in headed_paths(user):
        mine |= Q(person__department__path__startswith=path)
    return qs.filter(mine)


@dataclass
class NextStep:
    position: object
    missing_courses: list
    grade_needed: str
    grade_ok: bool


def career_steps(person) -> list[NextStep]:
    """For the person's position, the next positions and what they still lack: required courses
    not yet passed or attended, and the appraisal grade asked for against their latest one."""
    from apps.appraisals.models import Appraisal, Grade

    from .models import CareerStep

    if not person.position_id:
        return []
    steps = list(
        CareerStep.objects.filter(from_position_id=person.position_id)
        .select_related("to_position", "to_position__department")
        .prefetch_related("courses")
    )
    if not steps:
        return []
    done = set(QuizAttempt.objects.filter(person=person, passed=True).values_list("course_id", flat=True)) | set(
        Enrollment.objects.filter(person=person, status=Attendance.PRESENT).values_list("session__course_id", flat=True)
    )
    latest = (
        Appraisal.objects.filter(employee=person)
        .exclude(grade="")
        .order_by("-cycle__period_end", "-pk")
        .values_list("final_grade", "grade")
        .first()
    )
    order = [Grade.FAIL, Grade.PASS, Grade.GOOD, Grade.EXCELLENT]
    mine = (latest[0] or latest[1]) if latest else ""
    out = []
    for step in steps:
        needed = step.min_grade
        ok = not needed or (mine in order and order.index(mine) >= order.index(needed))
        out.append(
            NextStep(
                step.to_position,
                [c for c in step.courses.all() if c.pk not in done],
                Grade(needed).label if needed in Grade.values else "",
                ok,
            )
        )
    return out


def open_training_needs(person, limit: int = 20) -> list:
    """Regulation versions the person is still to be trained on, oldest first; one query."""
    from .models import TrainingNeed

    return list(
        TrainingNeed.objects.filter(person=person, met_at__isnull=True)
        .select_related("version", "version__policy")
        .order_by("created_at")[:limit]
    )


def regulation_needs(limit: int = 50) -> list[dict]:
    """Regulation versions that asked for training, newest first, with how many people still
    need it and how many are trained; one aggregate query."""
    from .models import TrainingNeed

    rows = (
        TrainingNeed.objects.values("version_id", "version__label", "version__title", "version__policy__code")
        .annotate(open=Count("pk", filter=Q(met_at__isnull=True)), met=Count("pk", filter=Q(met_at__isnull=False)))
        .order_by("-version_id")[:limit]
    )
    return [
        {
            "code": r["version__policy__code"],
            "label": r["version__label"],
            "title": r["version__title"],
            "open": r["open"],
            "met": r["met"],
            "url": reverse("policies:version", args=[r["version__policy__code"], r["version__label"]]),
        }
        for r in rows
    ]
