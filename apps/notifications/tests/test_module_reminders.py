"""The modules' reminders, wired through the reminder scan: right person, right day, once."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from apps.notifications import reminding
from apps.notifications.models import Notification, SentReminder
from apps.notifications.sources import LOADED, MODULE_ADAPTERS
from apps.scheduling.runner import run_job

from .conftest import at

DAY = date(2026, 11, 20)  # a Friday


def sent(kind, recipient=None):
    qs = Notification.objects.filter(kind=kind)
    return qs.filter(recipient=recipient).count() if recipient else qs.count()


def test_every_module_adapter_is_loaded():
    assert all(LOADED.get(name) for name in MODULE_ADAPTERS), LOADED
    names = {s.name for s in reminding.all_sources()}
    assert {
        "policies.review",
        "policies.acknowledgement",
        "processes.approvals",
        "processes.reviews",
        "processes.actions",
        "kpis.figures_missing",
        "appraisals.deadlines",
        "reminders.planned",
    } <= names


# --- Regulations ---------------------------------------------------------------------------


@pytest.fixture
def policy(org):
    from apps.policies.tests.factories import make_published

    return make_published(org=org).policy  # owned by the sales department: its head is `manager`


@pytest.mark.django_db
def test_a_regulation_review_is_announced_30_and_7_days_before_and_on_the_day_to_its_owner(org, policy):
    from apps.policies.models import Policy

    review = DAY + timedelta(days=30)
    Policy.objects.filter(pk=policy.pk).update(next_review_date=review)
    for day, expected in [
        (DAY - timedelta(days=1), 0),
        (DAY, 1),
        (DAY + timedelta(days=5), 1),
        (review - timedelta(days=7), 2),
        (review, 3),
        (review, 3),
    ]:
        reminding.scan_all(at(day))
        assert sent("policies.review_due", org["manager"]) == expected, day
    assert sent("policies.review_due") == 3


@pytest.mark.django_db
def test_an_overdue_review_is_sent_weekly_to_the_owner_and_the_owners_manager(org, policy):
    from apps.policies.models import Policy

    Policy.objects.filter(pk=policy.pk).update(next_review_date=DAY - timedelta(days=17))
    reminding.scan_all(at(DAY))
    reminding.scan_all(at(DAY + timedelta(days=1)))
    assert sent("policies.review_overdue", org["manager"]) == 1 and sent("policies.review_overdue", org["gm"]) == 1
    reminding.scan_all(at(DAY + timedelta(days=7)))
    assert sent("policies.review_overdue", org["manager"]) == 2


@pytest.mark.django_db
def test_an_open_acknowledgement_reminds_after_7_days_and_tells_the_manager_after_14(org, policy):
    from apps.policies import services
    from apps.policies.models import PolicyVersion

    policy.refresh_from_db()
    version = policy.current_version
    published = timezone.make_aware(datetime.combine(DAY, time(10)))
    PolicyVersion.objects.filter(pk=version.pk).update(ack_scope="everyone", published_at=published)
    version.refresh_from_db()
    services.acknowledge(user=org["outsider"], version=version)
    reminding.scan_all(at(DAY + timedelta(days=6)))
    assert sent("policies.ack_reminder") == 0
    reminding.scan_all(at(DAY + timedelta(days=7)))
    assert sent("policies.ack_reminder", org["staff"]) == 1
    assert sent("policies.ack_reminder", org["outsider"]) == 0  # confirmed already
    reminding.scan_all(at(DAY + timedelta(days=14)))
    reminding.scan_all(at(DAY + timedelta(days=15)))
    assert sent("policies.ack_reminder", org["staff"]) == 1
    report = Notification.objects.get(kind="policies.ack_overdue_report", recipient=org["manager"])
    assert "1" in report.title and policy.title in report.title  # staff reports to manager
    assert sent("policies.ack_overdue_report", org["ops_head"]) == 1  # ops reports to ops_head (outsider confirmed)


@pytest.mark.django_db
def test_future_versions_are_published_by_the_scheduled_job(org):
    run = run_job("policies.publish_due")
    assert run.outcome == "ok"


# --- Processes ---------------------------------------------------------------------------


@pytest.fixture
def waiting_request(org):
    from apps.processes.models import ChangeRequest
    from apps.processes.tests.factories import change_request, published_process

    process = published_process(org["sales_dept"], user=org["ops"])
    cr = change_request(process, org["staff"], submit=True)
    monday = timezone.make_aware(datetime.combine(date(2026, 11, 16), time(10)))
    ChangeRequest.objects.filter(pk=cr.pk).update(stage_entered_at=monday)
    cr.refresh_from_db()
    assert cr.assignee == org["manager"]
    return cr


@pytest.mark.django_db
def test_an_approval_waiting_more_than_3_working_days_reminds_the_approver_once(org, waiting_request):
    reminding.scan_all(at(date(2026, 11, 19)))  # Thursday: 3 working days, not more
    assert sent("processes.approval_waiting") == 0
    for day in (date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 23)):
        reminding.scan_all(at(day))
    assert sent("processes.approval_waiting", org["manager"]) == 1
    assert sent("processes.approval_escalated") == 0


@pytest.mark.django_db
def test_after_5_working_days_the_approvers_manager_is_told(org, waiting_request):
    reminding.scan_all(at(date(2026, 11, 24)))  # Tuesday after: 6 working days
    assert sent("processes.approval_waiting", org["manager"]) == 1
    assert sent("processes.approval_escalated", org["gm"]) == 1
    reminding.scan_all(at(date(2026, 11, 25)))
    assert sent("processes.approval_escalated") == 1


@pytest.mark.django_db
def test_process_reviews_and_overdue_improvement_actions_reach_their_owners(org):
    from apps.processes.models import ImprovementAction, Process, ProcessReview
    from apps.processes.tests.factories import published_process

    process = published_process(org["sales_dept"], user=org["ops"], owner=org["ops"])
    Process.objects.filter(pk=process.pk).update(next_review_date=DAY + timedelta(days=7))
    review = ProcessReview.objects.create(
        process=process,
        reviewed_on=DAY - timedelta(days=30),
        reviewer=org["ops"],
        next_review_date=DAY + timedelta(days=7),
    )
    ImprovementAction.objects.create(
        review=review, description="简化审批环节", owner=org["staff"], due_date=DAY - timedelta(days=1)
    )
    reminding.scan_all(at(DAY))
    reminding.scan_all(at(DAY))
    assert sent("processes.review_due", org["ops"]) == 1
    assert sent("processes.action_overdue", org["staff"]) == 1
    reminding.scan_all(at(DAY + timedelta(days=7)))
    assert sent("processes.review_due", org["ops"]) == 2  # on the day itself
    assert sent("processes.action_overdue", org["staff"]) == 2  # weekly while overdue


# --- Indicators ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_missing_figure_goes_to_the_responsible_person_then_the_department_head(org):
    from apps.kpis.tests.factories import IndicatorFactory

    IndicatorFactory(
        department=org["sales_dept"],
        responsible=org["staff"],
        active_from=date(2026, 9, 1),
        reminder_days=5,
        name="客户满意度",
    )
    # October's figure: due 5 working days after Saturday 31 October, on Friday 6 November, then
    # chased; the head is told 5 working days later, after Friday 13 November (September's: after
    # 20 October, the National Day week and its make-up Saturday counted by the calendar).
    today = date(2026, 11, 16)
    assert run_job("kpis.remind_missing_figures", now=at(today)).items == 2  # September and October
    assert sent("kpis.figure_missing", org["staff"]) == 2
    reminding.scan_all(at(today))
    assert sent("kpis.figures_missing_head", org["manager"]) == 2
    reminding.scan_all(at(today))
    assert run_job("kpis.remind_missing_figures", now=at(today)).items == 0
    assert sent("kpis.figures_missing_head") == 2


# --- Appraisals ----------------------------------------------------------------------------


@pytest.fixture
def cycle(org):
    from apps.appraisals.defaults import ensure_default_template
    from apps.appraisals.opening import appraisal_cycle_open

    ensure_default_template()
    cycle, _n = appraisal_cycle_open(
        code="2026Q3",
        today=DAY,
        notify=False,
        self_deadline=DAY + timedelta(days=3),
        review_deadline=DAY + timedelta(days=10),
        calibration_deadline=DAY + timedelta(days=15),
        close_date=DAY + timedelta(days=30),
    )
    return cycle


@pytest.mark.django_db
def test_a_self_assessment_deadline_is_announced_3_days_and_1_day_before(org, cycle):
    reminding.scan_all(at(DAY - timedelta(days=1)))
    assert sent("appraisals.stage_deadline") == 0
    reminding.scan_all(at(DAY))
    first = sent("appraisals.stage_deadline", org["staff"])
    reminding.scan_all(at(DAY + timedelta(days=1)))
    reminding.scan_all(at(DAY + timedelta(days=2)))
    reminding.scan_all(at(DAY + timedelta(days=2)))
    assert (first, sent("appraisals.stage_deadline", org["staff"])) == (1, 2)


@pytest.mark.django_db
def test_reviewers_who_have_not_reviewed_hear_once_with_the_number_waiting(org, cycle):
    from apps.appraisals.models import Cycle, Stage

    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.REVIEW, review_deadline=DAY + timedelta(days=1))
    reminding.scan_all(at(DAY))
    reminding.scan_all(at(DAY))
    note = Notification.objects.get(kind="appraisals.stage_deadline", recipient=org["manager"])
    assert note.title.startswith("1 ") or "1" in note.title  # staff is the manager's only report
    assert (
        SentReminder.objects.filter(kind="appraisals.stage_deadline").count()
        == Notification.objects.filter(kind="appraisals.stage_deadline").count()
    )


@pytest.mark.django_db
def test_the_appraisal_jobs_open_the_previous_quarter_and_move_stages_on(org):
    from apps.appraisals.defaults import ensure_default_template
    from apps.appraisals.models import Cycle

    ensure_default_template()
    assert run_job("appraisals.open_previous_quarter", now=at(date(2026, 10, 1))).items == 0  # National Day
    run = run_job("appraisals.open_previous_quarter", now=at(date(2026, 10, 8)))  # the first working day
    assert run.outcome == "ok" and run.items > 0 and Cycle.objects.filter(code="2026Q3").exists()
    assert run_job("appraisals.open_previous_quarter", now=at(date(2026, 10, 9))).items == 0
    cycle = Cycle.objects.get(code="2026Q3")
    moved = run_job("appraisals.advance_due_stages", now=at(cycle.self_deadline + timedelta(days=1)))
    assert moved.outcome == "ok" and moved.items >= 1
    cycle.refresh_from_db()
    assert cycle.stage != "self"


# --- The home page agrees with the mail ------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel("2026-11-23 10:00 +0800", tick=False)  # the request has waited 4 working days
def test_the_home_card_lists_what_the_reminders_are_about(org, policy, waiting_request, client_for):
    from apps.notifications.home import my_work
    from apps.policies.models import Policy

    Policy.objects.filter(pk=policy.pk).update(next_review_date=timezone.localdate() - timedelta(days=3))
    (panel,) = my_work(org["manager"])
    titles = [i.title for i in panel.items]
    assert policy.title in titles
    assert waiting_request.title in titles


@pytest.mark.django_db
def test_requests_waiting_for_the_operations_pool_send_each_ops_person_one_summary(org, waiting_request):
    from apps.processes.models import ChangeRequest

    ChangeRequest.objects.filter(pk=waiting_request.pk).update(status="pending_ops", assignee=None)
    reminding.scan_all(at(date(2026, 11, 23)))
    reminding.scan_all(at(date(2026, 11, 24)))
    ops_people = [org["ops"], org["ops_head"]]
    assert [sent("processes.approval_waiting", u) for u in ops_people] == [1, 1]
    assert "1" in Notification.objects.filter(recipient=org["ops"], kind="processes.approval_waiting").get().title


@pytest.mark.django_db
def test_the_home_card_lists_the_same_missing_figures_as_the_kpi_module(org):
    from apps.kpis import selectors
    from apps.kpis.tests.factories import IndicatorFactory
    from apps.notifications.sources.kpis import missing_for

    IndicatorFactory(department=org["sales_dept"], responsible=org["staff"], active_from=date(2025, 3, 1))
    IndicatorFactory(
        department=org["sales_dept"], responsible=None, frequency="quarterly", active_from=date(2025, 1, 1)
    )
    IndicatorFactory(department=org["ops_dept"], responsible=org["ops"], active_from=date(2026, 1, 1))
    today = date(2026, 11, 21)
    for user in (org["staff"], org["manager"], org["ops"], org["gm"]):
        expected = {
            (m.indicator.pk, m.period.key) for m in selectors.figures_missing(today=today) if m.recipient_id == user.pk
        }
        assert {(m.indicator.pk, m.period.key) for m in missing_for(user, today)} == expected
