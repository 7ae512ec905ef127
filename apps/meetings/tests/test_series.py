"""The series generator: weekly and monthly dates, moves off non-working days (and says so),
idempotent, catches up after a missed run; the next meeting opens with open actions."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.urls import reverse

from apps.meetings import services
from apps.meetings.jobs import generate_series
from apps.meetings.models import Frequency, Meeting, MeetingType, Series
from apps.meetings.schedule import occurrences
from apps.notifications.models import Notification
from apps.scheduling.calendar import is_working_day

pytestmark = pytest.mark.django_db


def make_series(org, **extra):
    fields = {
        "title": "运营管理部周例会",
        "type": MeetingType.DEPARTMENT,
        "organiser": org["ops_head"],
        "department": org["ops_dept"],
        "frequency": Frequency.WEEKLY,
        "weekday": 0,
        "start_time": time(9, 30),
        "starts_on": date(2026, 1, 1),
        "horizon_days": 28,
        "agenda_template": "上周工作汇报\n本周工作计划",
    }
    fields.update(extra)
    return services.series_create(actor=org["ops_head"], departments=[org["ops_dept"]], **fields)


def run(day: date) -> int:
    with time_machine.travel(f"{day.isoformat()} 01:00 +0800", tick=False):
        from django.utils import timezone

        return generate_series(timezone.now())


def test_weekly_series_makes_four_weeks_ahead_once(org):
    series = make_series(org)
    assert run(date(2026, 11, 2)) == 5  # Mondays 11-02 … 11-30
    assert run(date(2026, 11, 2)) == 0  # a repeated run makes nothing twice
    meetings = list(series.meetings.order_by("date"))
    assert [m.date for m in meetings] == [date(2026, 11, 2) + timedelta(days=7 * i) for i in range(5)]
    first = meetings[0]
    # attendees: the whole department (with its group), agenda from the standing agenda
    assert set(first.attendees.values_list("user__username", flat=True)) == {"opshead", "ops", "outsider"}
    assert list(first.agenda.values_list("title", flat=True)) == ["上周工作汇报", "本周工作计划"]
    # the attendees got an invitation (the organiser too: the job is not a person)
    assert Notification.objects.filter(kind="meetings.invitation", url=first.get_absolute_url()).count() == 3


def test_a_missed_week_catches_up_and_the_horizon_moves_on(org):
    series = make_series(org)
    run(date(2026, 11, 2))
    assert run(date(2026, 11, 16)) == 2  # 12-07 and 12-14 are now within 28 days
    assert series.meetings.count() == 7


def test_monthly_series_on_a_weekend_moves_to_the_next_working_day(org):
    # 2026-11-01 and 2027-01-01... the 1st of November 2026 is a Sunday.
    series = make_series(org, frequency=Frequency.MONTHLY, day_of_month=1, horizon_days=70, title="月度运营分析会")
    run(date(2026, 10, 31))
    meetings = {m.planned_date: m for m in series.meetings.all()}
    november = meetings[date(2026, 11, 1)]
    assert november.date == date(2026, 11, 2) and november.was_moved
    assert meetings[date(2026, 12, 1)].date == date(2026, 12, 1) and not meetings[date(2026, 12, 1)].was_moved


def test_every_generated_meeting_is_on_a_working_day_across_the_holidays(org):
    """Over a whole year (Spring Festival, Qingming, Labour Day, Dragon Boat, National Day):
    each meeting is on the first working day on or after its planned date."""
    series = make_series(org, weekday=3, starts_on=date(2026, 1, 1), horizon_days=365)
    run(date(2026, 1, 1))
    meetings = list(series.meetings.all())
    # 53 Thursdays; a long holiday may merge one meeting into the next (never two on one day).
    assert len(meetings) in (52, 53) and len({m.date for m in meetings}) == len(meetings)
    for m in meetings:
        assert is_working_day(m.date)
        assert m.date >= m.planned_date
        assert all(
            not is_working_day(m.planned_date + timedelta(days=i)) for i in range((m.date - m.planned_date).days)
        )


def test_occurrences_of_a_series_that_ends(org):
    series = make_series(org, ends_on=date(2026, 11, 16))
    assert [p for p, _d in occurrences(series, date(2026, 11, 1), date(2026, 12, 31))] == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]


def test_a_moved_meeting_says_so_on_its_page(org, client_for):
    series = make_series(org, frequency=Frequency.MONTHLY, day_of_month=1, horizon_days=40)
    run(date(2026, 10, 31))
    meeting = series.meetings.get(planned_date=date(2026, 11, 1))
    page = client_for(org["ops"]).get(reverse("meetings:meeting", args=[meeting.pk]))
    assert "2026-11-01" in page.content.decode() and "2026-11-02" in page.content.decode()


def test_the_next_meeting_opens_with_the_open_actions_of_earlier_ones(org, client_for):
    series = make_series(org)
    run(date(2026, 11, 2))
    first, second = series.meetings.order_by("date")[:2]
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        open_one = services.action_add(
            actor=org["ops_head"], meeting=first, title="整理流程清单", owner=org["ops"], due_date=date(2026, 11, 6)
        )
        finished = services.action_add(
            actor=org["ops_head"], meeting=first, title="已完成事项", owner=org["ops"], due_date=date(2026, 11, 6)
        )
        services.action_transition(actor=org["ops"], action=finished, step="done", note="ok")
        services.action_transition(actor=org["ops_head"], action=finished, step="accept")
    page = client_for(org["ops"]).get(reverse("meetings:meeting", args=[second.pk])).content.decode()
    assert open_one.title in page and finished.title not in page
    assert Meeting.objects.filter(series=series).count() == 5


def test_only_active_series_make_meetings(org):
    make_series(org, is_active=False)
    assert run(date(2026, 11, 2)) == 0
    assert Series.objects.count() == 1


needs_holidays = pytest.mark.skipif(
    not hasattr(__import__("apps.scheduling.calendar").scheduling.calendar, "is_public_holiday"),
    reason="needs the Chinese holiday calendar (apps/scheduling/calendar.py with public holidays)",
)


@needs_holidays
def test_national_day_moves_the_monday_meeting_and_merges_the_thursday_one(org):
    """2026: 10-01…10-07 off, 10-10 (Saturday) a make-up working day."""
    monday = make_series(org, weekday=0, starts_on=date(2026, 9, 28))
    thursday = make_series(org, weekday=3, starts_on=date(2026, 9, 28), title="周四协调会")
    run(date(2026, 9, 28))
    mondays = {m.planned_date: m.date for m in monday.meetings.all()}
    assert mondays[date(2026, 10, 5)] == date(2026, 10, 8)  # moved to the first working day
    assert mondays[date(2026, 10, 12)] == date(2026, 10, 12)
    thursdays = {m.planned_date: m.date for m in thursday.meetings.all()}
    # 10-01 would move onto 10-08, the day of the next regular meeting: one meeting that day.
    assert date(2026, 10, 1) not in thursdays and thursdays[date(2026, 10, 8)] == date(2026, 10, 8)


@needs_holidays
def test_new_years_day_moves_to_the_make_up_working_sunday(org):
    series = make_series(org, weekday=3, starts_on=date(2026, 1, 1), horizon_days=7)
    run(date(2025, 12, 31))
    meeting = series.meetings.get(planned_date=date(2026, 1, 1))
    assert meeting.date == date(2026, 1, 4) and meeting.was_moved
