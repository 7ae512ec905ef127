from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from apps.training import services

TZ = timezone.get_fixed_timezone(8 * 60)


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=TZ)


@pytest.fixture
def pinned_today():
    """Wednesday 18 November 2026: sessions and deadlines are checked against it."""
    with time_machine.travel("2026-11-18 10:00 +0800", tick=False):
        yield


@pytest.fixture
def training(org, pinned_today):
    """An approved company plan with a course (2 h, open for sign-up, a certificate) and a session
    on Friday 20 November with three places; a draft department plan of sales."""
    plan = services.create_plan(actor=org["hr"], title="2026年度培训计划", year=2026)
    course = services.add_course(
        plan=plan,
        actor=org["hr"],
        title="制度宣贯培训",
        hours=Decimal("2"),
        planned_month=11,
        trainer=org["ops"],
        open_signup=True,
        certificate_months=12,
        pass_mark=60,
        max_attempts=2,
    )
    services.add_question(
        course=course, text="报销需要谁审批？", kind="single", choices=[("部门负责人", True), ("任何人", False)]
    )
    services.add_question(
        course=course,
        text="哪些属于制度？",
        kind="multiple",
        choices=[("考勤制度", True), ("报销制度", True), ("午餐菜单", False)],
    )
    services.approve_plan(plan=plan)
    session = services.schedule_session(
        course=course,
        actor=org["hr"],
        starts_at=at("2026-11-20"),
        ends_at=at("2026-11-20", 11),
        place="3号会议室",
        capacity=3,
    )
    draft = services.create_plan(actor=org["manager"], title="销售部培训计划", year=2026, department=org["sales_dept"])
    return {"plan": plan, "course": course, "session": session, "draft": draft}
