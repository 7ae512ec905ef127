"""`seed_demo` part for training: this year's approved company plan (and a draft of the sales
department), past sessions with attendance, quiz results and ratings, upcoming sessions with
places left, a regulation course (OPS-ZD-001) with its quiz, a certificate about to lapse, and
development plans: from failed appraisals where the demo has them, else two chosen by managers.
Relative to the day it runs; a second run creates nothing."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.scheduling.calendar import add_working_days, next_working_day

from . import services
from .models import Certificate, Course, DevelopmentPlan, Plan, Session

COURSES = [
    # title, kind, hours, budget, cost, month offset, trainer (login or external), open, certificate months
    ("运营管理制度宣贯", "internal", "2", "0", "0", -2, "ops", True, None),
    ("流程优化方法与工具", "internal", "6", "3000", "2600", -1, "ops", False, None),
    ("客户沟通与投诉处理", "external", "8", "12000", "11500", -1, "外部讲师：王老师", False, 24),
    ("数据分析入门", "online", "4", "2000", "0", 0, "ops", True, None),
    ("新任主管管理技能", "external", "12", "20000", "0", 1, "外部讲师：李老师", False, None),
]


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed(ctx: dict) -> None:
    today, users, depts = ctx["today"], ctx["users"], ctx["departments"]
    if Plan.objects.exists():
        return
    hr = users["hr"]
    plan = services.create_plan(
        actor=hr,
        title=f"{today.year}年度公司培训计划",
        year=today.year,
        notes="根据岗位需求与员工职业规划制定：业务知识、管理技能与职业素养。",
    )
    courses = []
    for title, kind, hours, budget, cost, offset, trainer, open_signup, cert in COURSES:
        month = min(max(today.month + offset, 1), 12)
        fields = {"trainer": users.get(trainer)} if trainer in users else {"external_trainer": trainer}
        courses.append(
            services.add_course(
                plan=plan,
                actor=hr,
                title=title,
                kind=kind,
                hours=Decimal(hours),
                budget=Decimal(budget),
                cost=Decimal(cost),
                planned_month=month,
                open_signup=open_signup,
                certificate_months=cert,
                pass_mark=60,
                **fields,
            )
        )
    _regulation_quiz(courses[0])
    services.add_question(
        course=courses[2],
        text="处理客户投诉的第一步是？",
        kind="single",
        choices=[("倾听并确认问题", True), ("解释公司政策", False), ("转交他人", False)],
    )
    services.approve_plan(plan=plan)
    people = [u for k, u in users.items() if k not in ("admin",)][:24]
    staff = users.get("staff")
    # Past sessions: held, attendance recorded (no quiz answers, ratings from those present).
    for n, course in enumerate(courses[:3]):
        day = add_working_days(today, -(30 - 8 * n))
        session = _session(course, hr, day, capacity=30)
        group = people[n * 6 : n * 6 + 12] + ([staff] if staff and staff not in people[n * 6 : n * 6 + 12] else [])
        services.enroll(session=session, people=group, actor=hr)
        Session.objects.filter(pk=session.pk).update(starts_at=_at(day, 9), ends_at=_at(day, 12))
        statuses = {
            p.pk: ("absent" if i % 7 == 3 else "excused" if i % 11 == 5 else "present") for i, p in enumerate(group)
        }
        services.record_attendance(session=Session.objects.get(pk=session.pk), actor=hr, statuses=statuses)
        for i, p in enumerate(group):
            if statuses[p.pk] == "present" and i % 2 == 0:
                services.submit_survey(
                    session=session, person=p, rating=3 + i % 3, comment="内容实用。" if i % 4 else ""
                )
    # The staff member passed the complaint-handling quiz long ago: the certificate lapses soon.
    if staff:
        Certificate.objects.create(
            course=courses[2],
            person=staff,
            issued_on=today - timedelta(days=715),
            expires_on=today + timedelta(days=15),
        )
    # Upcoming sessions with places left.
    for n, course in enumerate(courses[3:], start=1):
        day = next_working_day(today + timedelta(days=7 * n))
        session = Session.objects.create(
            course=course,
            starts_at=_at(day, 14),
            ends_at=_at(day, 17),
            place="总部 3 楼培训室" if n % 2 else "线上会议",
            capacity=20,
            organiser=hr,
        )
        services.enroll(session=session, people=people[:5], actor=hr)
    draft = services.create_plan(
        actor=users.get("manager") or hr,
        title=f"{today.year}年市场部培训计划",
        year=today.year,
        department=depts.get("marketing"),
    )
    services.add_course(
        plan=draft,
        actor=users.get("manager") or hr,
        title="品牌传播实务",
        hours=Decimal(4),
        planned_month=min(today.month + 1, 12),
        external_trainer="外部讲师：周老师",
    )
    started = services.plans_from_appraisals(today=today)
    for login in ("sales-01", "sales-02")[: max(0, 2 - started)]:
        person = users.get(login)
        if person and not DevelopmentPlan.objects.filter(person=person).exists():
            plan_ = services.start_development_plan(
                person=person,
                actor=person.manager,
                reason=DevelopmentPlan.Reason.MANAGER,
                mentor=person.manager,
                goals="提升客户开发与谈判能力，季度内独立完成三个新客户签约。",
                due_date=today + timedelta(days=90),
                today=today,
            )
            services.add_action(
                plan=plan_,
                actor=person.manager,
                title="参加《客户沟通与投诉处理》培训",
                course=courses[2],
                due_date=today + timedelta(days=30),
                today=today,
            )
    ctx["stdout"].write(
        f"  training: {Course.objects.count()} courses, {Session.objects.count()} sessions, "
        f"{DevelopmentPlan.objects.count()} development plans"
    )


def _session(course, actor, day, capacity):
    # Past days cannot be scheduled through the form; the demo writes the past directly.
    return Session.objects.create(
        course=course,
        starts_at=_at(day, 9),
        ends_at=_at(day, 12),
        place="总部 3 楼培训室",
        capacity=capacity,
        organiser=actor,
    )


def _regulation_quiz(course) -> None:
    from apps.policies.models import Policy

    regulation = Policy.objects.filter(code="OPS-ZD-001").first()
    if regulation:
        course.policies.set([regulation])
    services.add_question(
        course=course,
        text="流程变更需要经过哪些审批？",
        kind="multiple",
        choices=[("部门负责人", True), ("运营管理部", True), ("无需审批", False)],
    )
    services.add_question(
        course=course,
        text="制度由哪个部门负责解释？",
        kind="single",
        choices=[("运营管理部", True), ("人力资源部", False), ("财务部", False)],
    )
