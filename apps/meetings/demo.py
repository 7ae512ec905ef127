"""`seed_demo` part for meetings: the weekly 运营管理部例会 with three past meetings (attendance,
minutes issued, decisions, actions in every state), its next meetings made by the generator,
and a monthly 运营分析会. Dates are relative to the day seed_demo runs. Idempotent: a series
that exists is left alone."""

from datetime import time, timedelta

from django.apps import apps
from django.db import transaction

from . import services
from .models import Attendance, Frequency, Meeting, MeetingType, Series

WEEKLY = "运营管理部周例会"
MONTHLY = "月度运营分析会"
AGENDA = "上周工作汇报\n本周工作计划\n需协调解决的问题"
NOTES = [
    "各组汇报上周重点工作完成情况，流程优化组完成采购审批流程梳理。",
    "本周重点：月度运营分析报告、制度宣贯确认率跟踪。",
    "客服投诉处理时效偏低，需与客服部协调。",
]


def _first(model: str, **filters):
    return apps.get_model(*model.split(".")).objects.filter(**filters).order_by("pk").first()


@transaction.atomic
def seed(ctx: dict) -> None:
    if Series.objects.filter(title=WEEKLY).exists():
        return
    today = ctx["today"]
    users, heads, depts = ctx["users"], ctx["heads"], ctx["departments"]
    head, taker = heads["ops"], users.get("ops") or heads["ops"]
    ops_dept = depts["ops"]
    monday = today - timedelta(days=today.weekday())
    series = services.series_create(
        actor=head,
        title=WEEKLY,
        type=MeetingType.DEPARTMENT,
        organiser=head,
        minute_taker=taker,
        department=ops_dept,
        place="3楼第一会议室",
        frequency=Frequency.WEEKLY,
        weekday=0,
        start_time=time(9, 30),
        duration_minutes=60,
        starts_on=monday - timedelta(days=21),
        agenda_template=AGENDA,
        departments=[ops_dept],
    )
    process = _first("processes.Process")
    indicator = _first("kpis.Indicator", code="C-SAL") or _first("kpis.Indicator")
    policy = _first("policies.Policy", current_version__isnull=False)
    people = [p for p in (taker, users.get("data-analyst"), users.get("ops-planner"), head) if p] or [head]
    past = []
    for weeks_ago in (3, 2, 1):
        day = monday - timedelta(days=7 * weeks_ago)
        meeting = services.meeting_create(
            actor=head,
            title=WEEKLY,
            type=MeetingType.DEPARTMENT,
            organiser=head,
            minute_taker=taker,
            department=ops_dept,
            date=day,
            start_time=time(9, 30),
            place="3楼第一会议室",
            departments=[ops_dept],
            agenda=services.standing_agenda(series),
            series=series,
            planned_date=day,
            confirm_days=3 if weeks_ago == 1 else 0,  # last week's minutes wait for the attendees
        )
        past.append(meeting)
    for n, meeting in enumerate(past):
        attendees = list(meeting.attendees.select_related("user"))
        attendance = {}
        for i, a in enumerate(attendees):
            status = Attendance.PRESENT
            if i == 1 and n == 0:
                status = Attendance.EXCUSED
            elif i == 2 and n == 1:
                status = Attendance.ABSENT
            elif i == 3 and n == 2:
                status = Attendance.DELEGATE
            attendance[a.pk] = (status, head if status == Attendance.DELEGATE else None)
        agenda = list(meeting.agenda.all())
        services.minutes_save(
            actor=taker,
            meeting=meeting,
            summary=f"第{n + 1}次例会，{meeting.date:%m月%d日}召开。",
            notes={item.pk: NOTES[i % len(NOTES)] for i, item in enumerate(agenda)},
            attendance=attendance,
        )
        decision = services.decision_add(
            actor=taker,
            meeting=meeting,
            text=[
                "优化采购审批流程，取消重复的部门会签环节。",
                "月度运营分析报告改为每月第3个工作日前发布。",
                "客服投诉处理时效纳入月度指标跟踪。",
            ][n],
            agenda_item=agenda[-1] if agenda else None,
        )
        owner = people[n % len(people)]
        links = []
        if n == 0 and process:
            links.append(("process", process.code))
        if n == 1 and indicator:
            links.append(("indicator", indicator.code))
        if n == 2 and policy:
            links.append(("policy", policy.code))
        specs = [
            ("梳理现有审批节点并提出优化方案", owner, 10, "优化方案一份"),
            ("整理上月运营数据", people[(n + 1) % len(people)], 3, "数据表"),
        ]
        for title, who, days, expected in specs:
            services.action_add(
                actor=taker,
                meeting=meeting,
                title=f"{title}（第{n + 1}次例会）",
                owner=who,
                due_date=meeting.date + timedelta(days=days),
                expected_result=expected,
                decision=decision,
                links=links,
            )
        if meeting.confirm_days:
            # Confirmation on the approvals engine: one attendee has confirmed, the others
            # (the demo logins among them) find it in their approvals inbox.
            services.minutes_request_confirmation(actor=head, meeting=meeting, today=today)
            first = next((a.user for a in attendees if a.user_id not in (head.pk, taker.pk)), None)
            if first is not None:
                services.minutes_confirm(actor=first, meeting=meeting, comment="无异议。")
        else:
            services.minutes_issue(actor=head, meeting=meeting, today=meeting.date)
    _advance_actions(past, head)
    services.generate_series_meetings(today=today, series_qs=Series.objects.filter(pk=series.pk))
    services.series_create(
        actor=head,
        title=MONTHLY,
        type=MeetingType.OPERATIONS,
        organiser=head,
        minute_taker=taker,
        department=ops_dept,
        place="总部大会议室",
        frequency=Frequency.MONTHLY,
        day_of_month=5,
        start_time=time(14, 0),
        duration_minutes=120,
        starts_on=today,
        horizon_days=62,
        agenda_template="上月运营指标回顾\n重点项目进展\n流程与制度改进事项",
        attendees=[p for p in (heads.get("sales"), heads.get("finance"), heads.get("svc"), users.get("gm")) if p],
        departments=[depts["ops-data"]],
    )
    services.generate_series_meetings(today=today, series_qs=Series.objects.filter(title=MONTHLY))
    ctx["stdout"].write(f"  meetings: {Meeting.objects.count()} meetings, 2 series")


def _advance_actions(past, organiser) -> None:
    """Put the demo's actions in every state: open (one overdue), in progress, done waiting for
    acceptance, accepted, reopened, cancelled."""
    actions = [a for m in past for a in m.actions.select_related("owner", "meeting").order_by("pk")]
    # 0: accepted, 1: cancelled, 2: done (waiting), 3: reopened (in progress), 4: in progress, 5: open
    a = actions
    services.action_transition(actor=a[0].owner, action=a[0], step="done", note="方案已提交。")
    services.action_transition(actor=organiser, action=a[0], step="accept")
    services.action_transition(actor=organiser, action=a[1], step="cancel", note="并入下周工作。")
    services.action_transition(actor=a[2].owner, action=a[2], step="progress", note="完成一半。", progress=50)
    services.action_transition(actor=a[2].owner, action=a[2], step="done", note="已完成。")
    services.action_transition(actor=a[3].owner, action=a[3], step="done", note="已完成。")
    services.action_transition(actor=organiser, action=a[3], step="reopen", note="数据口径不一致，请修正。")
    services.action_transition(actor=a[4].owner, action=a[4], step="progress", note="进行中。", progress=30)
