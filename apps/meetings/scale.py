"""`generate_scale_data` part for meetings: the bench manager's department gets a weekly
series with --meeting-actions N (default 5000) action items over its past meetings, in every
state, and one meeting with 40 agenda items and 60 attendees (the bench's large meeting page).
Bulk inserts only."""

import time as clock
from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from apps.departments.models import Department

from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Attendee,
    Decision,
    Frequency,
    Meeting,
    MeetingStatus,
    MeetingType,
    Series,
)

TITLE = "规模测试部门例会"
BIG_TITLE = "规模测试专题会（40项议程）"
ACTIONS_PER_MEETING = 20
STATES = [
    ActionStatus.OPEN,
    ActionStatus.IN_PROGRESS,
    ActionStatus.DONE,
    ActionStatus.ACCEPTED,
    ActionStatus.ACCEPTED,
    ActionStatus.CANCELLED,
]


def add_arguments(parser) -> None:
    parser.add_argument("--meeting-actions", type=int, default=5000, help="meeting action items (default 5000)")


def generate(ctx: dict, options: dict) -> None:
    if Series.objects.filter(title=TITLE).exists():
        raise CommandError("Meeting scale data is already there: run with --reset to rebuild it.")
    started = clock.perf_counter()
    rng, today = ctx["rng"], ctx["today"]
    User = get_user_model()
    bench = ctx.get("bench_users", {})
    manager = User.objects.filter(username=bench.get("manager")).first()
    if manager is None or manager.department_id is None:
        manager = User.objects.filter(headed_departments__isnull=False).order_by("pk").first()
    dept = manager.department or Department.objects.filter(head=manager).first()
    members = list(User.objects.filter(department=dept, is_active=True).values_list("pk", flat=True))
    everyone = ctx["user_ids"]
    staff = User.objects.filter(username=bench.get("staff")).first()
    series = Series.objects.create(
        title=TITLE,
        type=MeetingType.DEPARTMENT,
        organiser=manager,
        department=dept,
        frequency=Frequency.WEEKLY,
        weekday=0,
        start_time=time(9, 0),
        starts_on=today - timedelta(days=7 * 400),
    )
    n_actions = options.get("meeting_actions", 5000)
    n_meetings = max(1, -(-n_actions // ACTIONS_PER_MEETING))
    monday = today - timedelta(days=today.weekday())
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                series=series,
                title=TITLE,
                type=MeetingType.DEPARTMENT,
                organiser=manager,
                department=dept,
                date=monday - timedelta(days=7 * (i + 1)),
                planned_date=monday - timedelta(days=7 * (i + 1)),
                start_time=time(9, 0),
                status=MeetingStatus.HELD,
            )
            for i in range(n_meetings)
        ]
    )
    attendees = sorted(set(rng.sample(members, min(12, len(members))) + [manager.pk]))
    Attendee.objects.bulk_create(
        [
            Attendee(meeting=m, user_id=u, attendance=rng.choice([Attendance.PRESENT] * 8 + [Attendance.EXCUSED]))
            for m in meetings
            for u in attendees
        ]
    )
    decisions = Decision.objects.bulk_create(
        [Decision(meeting=m, text=f"第{i + 1}项决议：按期推进本周重点工作。") for i, m in enumerate(meetings)]
    )
    now = timezone.now()
    rows = []
    for i in range(n_actions):
        m = meetings[i // ACTIONS_PER_MEETING]
        owner = rng.choice(members or [manager.pk])
        state = STATES[i % len(STATES)]
        due = m.date + timedelta(days=rng.randint(3, 30))
        rows.append(
            ActionItem(
                meeting=m,
                decision=decisions[i // ACTIONS_PER_MEETING],
                title=f"待办事项 {i + 1:05d}：完成{rng.choice(['数据', '流程', '制度', '报表'])}整理",
                owner_id=owner,
                department=dept,
                due_date=due,
                status=state,
                progress={"open": 0, "in_progress": 40}.get(state, 100),
                done_at=now if state in (ActionStatus.DONE, ActionStatus.ACCEPTED) else None,
                accepted_at=now if state == ActionStatus.ACCEPTED else None,
            )
        )
    ActionItem.objects.bulk_create(rows, batch_size=2000)
    big = Meeting.objects.create(
        title=BIG_TITLE,
        type=MeetingType.SPECIAL,
        organiser=manager,
        department=dept,
        date=today + timedelta(days=3),
        start_time=time(14, 0),
        duration_minutes=240,
        place="总部大会议室",
    )
    pool = list(dict.fromkeys([manager.pk, *([staff.pk] if staff else []), *members, *everyone]))[:60]
    Attendee.objects.bulk_create([Attendee(meeting=big, user_id=u) for u in pool])
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=big,
                order=i + 1,
                title=f"议题{i + 1}：专项工作汇报与讨论",
                presenter_id=pool[i % len(pool)],
                minutes_allotted=5,
            )
            for i in range(40)
        ]
    )
    ctx["stdout"].write(
        f"  meetings: {len(meetings)} meetings, {n_actions} actions in {dept.name}; one meeting with 40 items, "
        f"{len(pool)} attendees"
    )
    ctx["timings"].append(
        {
            "name": "meetings: meetings, actions, a large meeting",
            "seconds": clock.perf_counter() - started,
            "items": n_actions,
        }
    )
