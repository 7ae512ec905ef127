"""The date-sensitive behaviour at days that break naive code: the last and first day of a
quarter (31 March / 1 April 2026), 31 December 2026 → 1 January 2027 (a year the pinned
holiday package does not know yet: Monday–Friday), 29 February 2028, 1 October 2026 (National
Day, the holiday week) and Saturday 10 October 2026 (a make-up working day, 调休). Each test
pins the wall clock as well as passing the day, so nothing reads the real date.

It crosses every module, so it lives with the project, not inside an engine (whose code and
tests import no domain app: apps/core/tests/test_engine_imports.py)."""

import io
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from apps.appraisals import services as appraisal_services
from apps.appraisals.models import Cycle, Stage
from apps.approvals.tests.conftest import memo_kind, propose, use_flow  # noqa: F401 (fixtures)
from apps.kpis import selectors as kpi_selectors
from apps.kpis.periods import Frequency, Period, reporting_month
from apps.kpis.tests.factories import IndicatorFactory
from apps.notifications.models import Notification
from apps.scheduling import calendar, registry
from apps.scheduling.models import JobRun, ScheduledJob
from apps.scheduling.runner import TASK_NAME, run_job

pytestmark = pytest.mark.django_db

LAST_OF_QUARTER = date(2026, 3, 31)  # Tuesday
FIRST_OF_QUARTER = date(2026, 4, 1)  # Wednesday
NEW_YEARS_EVE = date(2026, 12, 31)  # Thursday
NEW_YEARS_DAY = date(2027, 1, 1)  # Friday; 2027 is past the package: a working day by Monday–Friday
LEAP_DAY = date(2028, 2, 29)  # Tuesday
NATIONAL_DAY = date(2026, 10, 1)  # Thursday, a public holiday (1–7 October)
MAKEUP_SATURDAY = date(2026, 10, 10)  # worked in lieu of the National Day week
FIXED_DAYS = [LAST_OF_QUARTER, FIRST_OF_QUARTER, NEW_YEARS_EVE, NEW_YEARS_DAY, LEAP_DAY, NATIONAL_DAY, MAKEUP_SATURDAY]


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def on(day: date, hour: int = 9):
    """Pin the wall clock to `day` in the portal's time zone."""
    return time_machine.travel(at(day, hour), tick=False)


def test_the_fixed_days_are_what_this_module_says():
    assert [calendar.is_working_day(d) for d in FIXED_DAYS] == [True, True, True, True, True, False, True]
    assert MAKEUP_SATURDAY.weekday() == 5 and calendar.is_makeup_working_day(MAKEUP_SATURDAY)
    assert calendar.is_public_holiday(NATIONAL_DAY)
    assert calendar.knows_year(2026) and not calendar.knows_year(2027)


@pytest.mark.parametrize(
    "day,next_working,plus_five,minus_three,quarter_first",
    [
        (LAST_OF_QUARTER, LAST_OF_QUARTER, date(2026, 4, 8), date(2026, 3, 26), date(2026, 1, 4)),
        (FIRST_OF_QUARTER, FIRST_OF_QUARTER, date(2026, 4, 9), date(2026, 3, 27), FIRST_OF_QUARTER),
        (NEW_YEARS_EVE, NEW_YEARS_EVE, date(2027, 1, 7), date(2026, 12, 28), date(2026, 10, 8)),
        (NEW_YEARS_DAY, NEW_YEARS_DAY, date(2027, 1, 8), date(2026, 12, 29), NEW_YEARS_DAY),
        (LEAP_DAY, LEAP_DAY, date(2028, 3, 7), date(2028, 2, 24), date(2028, 1, 3)),
        (NATIONAL_DAY, date(2026, 10, 8), date(2026, 10, 13), date(2026, 9, 28), date(2026, 10, 8)),
        (MAKEUP_SATURDAY, MAKEUP_SATURDAY, date(2026, 10, 16), date(2026, 9, 30), date(2026, 10, 8)),
    ],
)
def test_working_day_arithmetic(day, next_working, plus_five, minus_three, quarter_first):
    assert calendar.next_working_day(day) == next_working
    assert calendar.add_working_days(day, 5) == plus_five
    assert calendar.add_working_days(day, -3) == minus_three
    assert calendar.first_working_day_of_quarter(day) == quarter_first
    assert calendar.working_days_between(calendar.add_working_days(day, -3), day) == (3 if day != NATIONAL_DAY else 2)


# --- KPI periods and missing figures ------------------------------------------------------------


@pytest.mark.parametrize(
    "day,month,quarter,year,month_end",
    [
        (LAST_OF_QUARTER, "2026-02", "2025-Q4", "2025", LAST_OF_QUARTER),
        (FIRST_OF_QUARTER, "2026-03", "2026-Q1", "2025", date(2026, 4, 30)),
        (NEW_YEARS_EVE, "2026-11", "2026-Q3", "2025", NEW_YEARS_EVE),
        (NEW_YEARS_DAY, "2026-12", "2026-Q4", "2026", date(2027, 1, 31)),
        (LEAP_DAY, "2028-01", "2027-Q4", "2027", LEAP_DAY),
        (NATIONAL_DAY, "2026-09", "2026-Q3", "2025", date(2026, 10, 31)),
    ],
)
def test_reporting_periods(day, month, quarter, year, month_end):
    reporting = reporting_month(day)
    assert reporting.key == month
    assert Period.last_ended_by(reporting, Frequency.QUARTERLY).key == quarter
    assert Period.last_ended_by(reporting, Frequency.ANNUAL).key == year
    assert Period.containing(day, Frequency.MONTHLY).end == month_end


@pytest.mark.parametrize(
    "day,missing",
    [
        # September's figure is due 5 working days after 30 September: 8, 9, 10 (the make-up
        # Saturday), 12 and 13 October. Missing only once that day is over.
        (NATIONAL_DAY, []),
        (MAKEUP_SATURDAY, []),
        (date(2026, 10, 13), []),
        (date(2026, 10, 14), ["2026-09"]),
        # November's is due on Monday 7 December; December's on Thursday 7 January 2027 (1
        # January counts: the package does not know 2027, Monday–Friday)
        (NEW_YEARS_EVE, ["2026-09", "2026-10", "2026-11"]),
        (date(2027, 1, 7), ["2026-09", "2026-10", "2026-11"]),
        (date(2027, 1, 8), ["2026-09", "2026-10", "2026-11", "2026-12"]),
    ],
)
def test_missing_figures_follow_the_working_day_calendar(org, day, missing):
    ind = IndicatorFactory(department=org["sales_dept"], active_from=date(2026, 9, 1), reminder_days=5)
    with on(day):
        found = kpi_selectors.figures_missing(today=day)
    assert [m.period.key for m in found if m.indicator == ind] == missing


def test_a_quarterly_figure_due_over_new_year_and_a_leap_day(org):
    quarterly = IndicatorFactory(
        department=org["sales_dept"], frequency="quarterly", active_from=date(2027, 10, 1), reminder_days=10
    )
    # 2027-Q4 ends on Friday 31 December 2027: due 10 working days later, Friday 14 January 2028
    assert kpi_selectors.figure_due(Period(2027, 4, "quarterly"), 10) == date(2028, 1, 14)
    with on(LEAP_DAY):
        [item] = [m for m in kpi_selectors.figures_missing(today=LEAP_DAY) if m.indicator == quarterly]
    assert (item.period.key, item.due) == ("2027-Q4", date(2028, 1, 14))


# --- Appraisal cycle opening --------------------------------------------------------------------


@pytest.mark.parametrize(
    "day,opens,deadlines",
    [
        # 31 March: the first working day of Q1 2026 (Sunday 4 January, 调休) has long passed.
        (LAST_OF_QUARTER, "2025Q4", (date(2026, 4, 10), date(2026, 4, 20), date(2026, 4, 27), date(2026, 5, 11))),
        (FIRST_OF_QUARTER, "2026Q1", (date(2026, 4, 13), date(2026, 4, 21), date(2026, 4, 28), date(2026, 5, 12))),
        (NATIONAL_DAY, None, None),
        (date(2026, 10, 8), "2026Q3", (date(2026, 10, 19), date(2026, 10, 28), date(2026, 11, 4), date(2026, 11, 18))),
        (MAKEUP_SATURDAY, "2026Q3", (date(2026, 10, 20), date(2026, 10, 30), date(2026, 11, 6), date(2026, 11, 20))),
        (NEW_YEARS_EVE, "2026Q3", (date(2027, 1, 11), date(2027, 1, 20), date(2027, 1, 27), date(2027, 2, 10))),
        (NEW_YEARS_DAY, "2026Q4", (date(2027, 1, 11), date(2027, 1, 21), date(2027, 1, 28), date(2027, 2, 11))),
        (LEAP_DAY, "2027Q4", (date(2028, 3, 10), date(2028, 3, 20), date(2028, 3, 27), date(2028, 4, 10))),
    ],
)
def test_the_scheduled_opening_and_its_deadlines(org, day, opens, deadlines):
    from apps.appraisals.defaults import ensure_default_template

    ensure_default_template()
    with on(day, 6):
        run = run_job("appraisals.open_previous_quarter", now=at(day, 6))
        again = run_job("appraisals.open_previous_quarter", now=at(day, 7))
    assert run.outcome == again.outcome == JobRun.Outcome.OK and again.items == 0
    if opens is None:
        assert run.items == 0 and not Cycle.objects.exists()
        return
    cycle = Cycle.objects.get()
    # 8 people, less the administrator and the GM (nobody reviews the GM): left for HR to decide
    assert (cycle.code, cycle.stage, run.items) == (opens, Stage.SELF, 6)
    got = (cycle.self_deadline, cycle.review_deadline, cycle.calibration_deadline, cycle.close_date)
    assert got == deadlines
    assert all(calendar.is_working_day(d) for d in got)


def test_stages_move_on_the_day_after_a_deadline_and_not_before(org):
    from apps.appraisals.defaults import ensure_default_template

    ensure_default_template()
    with on(date(2026, 10, 8)):
        cycle = appraisal_services.appraisal_cycle_open_previous_quarter(today=date(2026, 10, 8))
    assert cycle.self_deadline == date(2026, 10, 19)
    for day, stage in [(date(2026, 10, 19), Stage.SELF), (date(2026, 10, 20), Stage.REVIEW)]:
        with on(day, 0):
            run_job("appraisals.advance_due_stages", now=at(day, 0))
        cycle.refresh_from_db()
        assert cycle.stage == stage, day


# --- Approval stage deadlines: a stage's limit in working days (the approvals engine) -----------


@pytest.fixture
def waiting_request(org, use_flow, propose):  # noqa: F811 (the approvals engine's fixtures)
    """A request whose stage (limit 3 working days) was entered on Tuesday 29 September 2026."""
    use_flow([{"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}], "limit_days": 3}])
    with on(date(2026, 9, 29), 15):
        return propose()


@pytest.mark.parametrize(
    "day,reminded,escalated",
    [
        (date(2026, 9, 30), False, False),
        (NATIONAL_DAY, False, False),  # the holiday week does not count
        (date(2026, 10, 7), False, False),
        (date(2026, 10, 8), False, False),  # 30 September and 8 October: two working days
        (date(2026, 10, 9), True, False),  # the 3rd working day: the limit is reached
        (MAKEUP_SATURDAY, True, False),  # the make-up Saturday is the 4th
        (date(2026, 10, 12), True, False),
        (date(2026, 10, 13), True, True),  # twice the limit: 30 Sep, 8, 9, 10, 12 and 13 Oct
    ],
)
def test_an_approval_stage_waits_working_days_not_calendar_days(org, waiting_request, day, reminded, escalated):
    with on(day, 9):
        run_job("approvals.remind_and_escalate", now=at(day, 9))
        run_job("approvals.remind_and_escalate", now=at(day, 10))  # the next run catches up
    stage = waiting_request.stages.get()
    assert (stage.reminded_at is not None, stage.escalated_at is not None) == (reminded, escalated)
    reminders = Notification.objects.filter(kind="approvals.reminder", recipient=org["manager"])
    assert reminders.count() == (1 if reminded else 0)


# --- The beat schedule's jobs -------------------------------------------------------------------


@pytest.mark.parametrize("day", FIXED_DAYS)
def test_every_scheduled_job_runs_at_the_fixed_days(org, day):
    from apps.appraisals.defaults import ensure_default_template

    ensure_default_template()
    names = set(ScheduledJob.objects.filter(task=TASK_NAME).values_list("name", flat=True))
    assert names and names <= {j.name for j in registry.all_jobs()}
    with on(day, 9):
        runs = [run_job(name, now=at(day, 9)) for name in sorted(names)]
    failed = {r.name: r.error for r in runs if r.outcome != JobRun.Outcome.OK}
    assert not failed


# --- seed_demo ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day,closed,current,self_deadline",
    [
        (NATIONAL_DAY, "2026Q2", "2026Q3", date(2026, 10, 12)),
        (NEW_YEARS_DAY, "2026Q3", "2026Q4", date(2027, 1, 11)),
        (LEAP_DAY, "2027Q4", "2028Q1", date(2028, 4, 11)),
    ],
)
def test_seed_demo_on_a_fixed_day_puts_the_past_in_the_past_and_the_future_ahead(
    settings, day, closed, current, self_deadline
):
    from apps.approvals.models import Delegation, Event, Task
    from apps.approvals.models import Stage as ApprovalStage
    from apps.kpis.models import Indicator, Measurement
    from apps.kpis.selectors import indicator_history
    from apps.policies.models import PolicyVersion

    settings.DEBUG = True
    with on(day, 10):
        now = timezone.now()
        call_command("seed_demo", stdout=io.StringIO())
        cycles = {c.code: c for c in Cycle.objects.all()}
        assert set(cycles) == {closed, current}
        done, running = cycles[closed], cycles[current]
        assert done.stage == Stage.CLOSED and done.close_date < day and done.published_at < now
        assert running.stage == Stage.SELF and running.self_deadline == self_deadline
        assert day < running.self_deadline <= running.review_deadline <= running.close_date
        # indicators: figures up to the month before, none for a period not yet over
        month = reporting_month(day)
        assert not [m for m in Measurement.objects.select_related("indicator") if m.period.end >= day]
        sales = indicator_history(Indicator.objects.get(code="C-SAL"))
        assert sales[-1].period == month and sales[-1].achievement is not None
        assert sales[-1].achievement > sales[0].achievement
        # processes and regulations: history behind, plans ahead
        assert not Event.objects.filter(created_at__gt=now).exists()
        assert not Task.objects.filter(created_at__gt=now).exists()
        assert not ApprovalStage.objects.filter(entered_at__gt=now).exists()
        assert Delegation.objects.get(kind="processes.change").start_date > day
        assert not PolicyVersion.objects.filter(status="published", effective_date__gt=day).exists()
        # the first scan finds today's reminders, and a second sends nothing twice
        first = run_job("reminders.scan", now=now)
        assert first.outcome == JobRun.Outcome.OK and first.items > 0
        assert run_job("reminders.scan", now=now).items == 0


def test_the_demo_cycles_fit_every_day_of_three_years():
    """seed_demo's appraisal story on any day: a closed cycle whose whole timeline is behind it,
    and the next quarter's cycle, already started, in self-assessment with its deadlines ahead."""
    from apps.appraisals.demo import demo_quarters
    from apps.appraisals.opening import default_dates, parse_period

    day = date(2026, 1, 1)
    while day <= date(2028, 12, 31):
        closed, current = demo_quarters(day)
        _kind, closed_start, closed_end = parse_period(closed)
        opened = calendar.first_working_day_of_quarter(closed_end + timedelta(days=1))
        assert default_dates(closed_end, opened)["close_date"] < day, day
        _kind, start, end = parse_period(current)
        assert start == closed_end + timedelta(days=1) and start <= day, day
        assert default_dates(end, day)["self_deadline"] > day, day
        assert (day - closed_start).days < 270, day  # never older than needed
        day += timedelta(days=1)
