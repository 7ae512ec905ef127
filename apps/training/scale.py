"""`generate_scale_data` part for training: a year's plan with --training-courses N (default
500) courses, sessions this year and --attendance M (default 100,000) attendance rows over the
people, surveys, and a few hundred development plans. Bulk inserts only."""

import time
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from .models import Course, DevelopmentPlan, Enrollment, Plan, Session, SurveyResponse

TITLE = "规模测试培训计划"
SUBJECTS = ["制度宣贯", "流程优化", "客户沟通", "数据分析", "管理技能", "安全生产", "质量管理", "财务知识", "合规培训"]


def add_arguments(parser) -> None:
    parser.add_argument("--training-courses", type=int, default=500, help="courses (default 500)")
    parser.add_argument("--attendance", type=int, default=100_000, help="attendance rows (default 100000)")


def generate(ctx: dict, options: dict) -> None:
    n_courses, n_rows = options["training_courses"], options["attendance"]
    if Plan.objects.filter(title=TITLE).exists():
        raise CommandError("Training scale data is already there: run with --reset to rebuild it.")
    rng, today, user_ids = ctx["rng"], ctx["today"], ctx["user_ids"]
    started = time.perf_counter()
    plan = Plan.objects.create(title=TITLE, year=today.year, status=Plan.Status.APPROVED)
    courses = Course.objects.bulk_create(
        [
            Course(
                plan=plan,
                title=f"{rng.choice(SUBJECTS)}（{i}）",
                hours=Decimal(rng.choice([1, 2, 3, 4, 6, 8])),
                budget=Decimal(rng.randint(0, 20000)),
                cost=Decimal(rng.randint(0, 20000)),
                planned_month=rng.randint(1, 12),
                external_trainer="外部讲师",
                kind="external",
            )
            for i in range(n_courses)
        ],
        batch_size=2000,
    )
    per_session = 40
    n_sessions = max(1, n_rows // per_session)
    tz = timezone.get_current_timezone()
    start_of_year = timezone.make_aware(datetime(today.year, 1, 5, 9), tz)
    span = max((timezone.make_aware(datetime(today.year, today.month, today.day, 9), tz) - start_of_year).days, 1)
    sessions = Session.objects.bulk_create(
        [
            Session(
                course=rng.choice(courses),
                starts_at=start_of_year + timedelta(days=rng.randrange(span)),
                ends_at=start_of_year + timedelta(days=0, hours=3),
                place="培训室",
                capacity=per_session,
                status=Session.Status.DONE,
            )
            for _ in range(n_sessions)
        ],
        batch_size=2000,
    )
    for s in sessions:
        s.ends_at = s.starts_at + timedelta(hours=3)
    Session.objects.bulk_update(sessions, ["ends_at"], batch_size=2000)
    # The bench staff member attends many sessions: the heaviest record page.
    bench_staff = get_user_model().objects.filter(username=ctx.get("bench_users", {}).get("staff")).first()
    rows, surveys = [], []
    for s in sessions:
        people = rng.sample(user_ids, min(per_session, len(user_ids)))
        if bench_staff and rng.random() < 0.05 and bench_staff.pk not in people:
            people[0] = bench_staff.pk
        for pid in people:
            status = "present" if rng.random() < 0.9 else rng.choice(["absent", "excused"])
            rows.append(Enrollment(session=s, person_id=pid, status=status))
            if status == "present" and rng.random() < 0.1:
                surveys.append(SurveyResponse(session=s, person_id=pid, rating=rng.randint(2, 5)))
    Enrollment.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    SurveyResponse.objects.bulk_create(surveys, batch_size=5000, ignore_conflicts=True)
    DevelopmentPlan.objects.bulk_create(
        [
            DevelopmentPlan(
                person_id=pid, reason="manager", goals="提升岗位能力。", due_date=today + timedelta(days=90)
            )
            for pid in rng.sample(user_ids, min(300, len(user_ids)))
        ]
    )
    ctx["timings"].append(
        {
            "name": "training: courses, sessions, attendance",
            "seconds": time.perf_counter() - started,
            "items": len(rows),
        }
    )
    ctx["stdout"].write(f"  training: {len(courses)} courses, {len(sessions)} sessions, {len(rows)} attendance rows")
