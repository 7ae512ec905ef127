"""Who gets an appraisal when a cycle opens, with which reviewer and template."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.appraisals import services
from apps.appraisals.models import Appraisal, Criterion, Cycle, CycleKind, Template
from apps.appraisals.opening import LeftOut, appraisal_cycle_open, left_out, parse_period
from apps.departments.tests.factories import DepartmentFactory, PositionFactory

pytestmark = pytest.mark.django_db
CUTOFF = date(2026, 9, 1)


def open_q3(**kwargs):
    cycle, created = appraisal_cycle_open(
        code="2026Q3", today=date(2026, 10, 8), cutoff_date=CUTOFF, notify=False, **kwargs
    )
    return cycle, created


def reviewer_of(cycle, user):
    return Appraisal.objects.get(cycle=cycle, employee=user).reviewer


@pytest.mark.parametrize(
    "code,kind,start,end",
    [
        ("2026Q3", CycleKind.QUARTER, date(2026, 7, 1), date(2026, 9, 30)),
        ("2026q1", CycleKind.QUARTER, date(2026, 1, 1), date(2026, 3, 31)),
        ("2026", CycleKind.ANNUAL, date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_parse_period(code, kind, start, end):
    assert parse_period(code) == (kind, start, end)


@pytest.mark.parametrize("code", ["2026Q5", "26Q1", "Q3", "2026-Q3", ""])
def test_bad_periods_are_refused(code):
    with pytest.raises(services.ValidationError):
        parse_period(code)


def test_joiners_before_the_cutoff_are_in_and_after_it_out(org, default_template, make_user):
    in_time = make_user(
        username="early", department=org["sales_dept"], manager=org["manager"], hire_date=CUTOFF - timedelta(days=1)
    )
    too_late = make_user(username="late", department=org["sales_dept"], manager=org["manager"], hire_date=CUTOFF)
    cycle, _n = open_q3()
    employees = set(cycle.appraisals.values_list("employee__username", flat=True))
    assert in_time.username in employees and too_late.username not in employees


def test_leavers_before_the_period_end_are_out_and_later_leavers_in(org, default_template, make_user):
    left = make_user(
        username="left",
        department=org["sales_dept"],
        manager=org["manager"],
        is_active=False,
        leave_date=date(2026, 9, 15),
    )
    left_after = make_user(
        username="left_after",
        department=org["sales_dept"],
        manager=org["manager"],
        is_active=False,
        leave_date=date(2026, 10, 3),
    )
    disabled = make_user(username="disabled", department=org["sales_dept"], is_active=False)
    cycle, _n = open_q3()
    employees = set(cycle.appraisals.values_list("employee__username", flat=True))
    assert "left" not in employees and "disabled" not in employees
    assert "left_after" in employees
    assert left.pk and left_after.pk and disabled.pk


def test_the_reviewer_is_the_manager_at_opening_and_stays_after_an_org_change(org, default_template):
    cycle, _n = open_q3()
    staff = org["staff"]
    assert reviewer_of(cycle, staff) == org["manager"]
    staff.manager = org["ops_head"]
    staff.save()
    assert reviewer_of(cycle, staff) == org["manager"]


def test_someone_without_a_manager_goes_to_their_department_head(org, default_template, make_user):
    orphan = make_user(username="orphan", department=org["ops_group"], manager=None)
    cycle, _n = open_q3()
    assert reviewer_of(cycle, orphan) == org["ops_head"]


def test_a_department_head_is_reviewed_by_their_own_manager(org, default_template):
    cycle, _n = open_q3()
    assert reviewer_of(cycle, org["manager"]) == org["gm"]  # head of sales, reports to the gm
    # the top of the company has nobody to review them: not enrolled, listed for HR to decide
    assert not Appraisal.objects.filter(cycle=cycle, employee=org["gm"]).exists()
    assert {r["user"].username: r["reason"] for r in left_out(cycle)}["gm"] == LeftOut.NO_REVIEWER


def test_templates_apply_by_position_then_department_up_the_tree_then_default(org, default_template, make_user):
    dept_template = Template.objects.create(name="运营考核表")
    Criterion.objects.create(template=dept_template, name="流程改进", weight=100)
    dept_template.departments.add(org["ops_dept"])
    post = PositionFactory(department=org["sales_dept"])
    post_template = Template.objects.create(name="大客户经理考核表")
    Criterion.objects.create(template=post_template, name="大客户签约", weight=100)
    post_template.positions.add(post)
    key_account = make_user(username="ka", department=org["sales_dept"], position=post, manager=org["manager"])
    cycle, _n = open_q3()
    form_of = dict(cycle.appraisals.values_list("employee__username", "form__name"))
    assert form_of["ops"] == "运营考核表"  # ops_group inherits from ops_dept
    assert form_of["staff"] == default_template.name
    assert form_of[key_account.username] == "大客户经理考核表"


def test_opening_twice_creates_nothing_twice(org, default_template):
    cycle, first = open_q3()
    again, second = open_q3()
    assert again == cycle and first == Appraisal.objects.filter(cycle=cycle).count() and second == 0


def test_the_database_refuses_a_second_appraisal_for_the_same_person(org, default_template):
    cycle, _n = open_q3()
    existing = Appraisal.objects.filter(cycle=cycle).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Appraisal.objects.create(cycle=cycle, employee=existing.employee, form=existing.form)


def test_opening_later_adds_newcomers_only_while_in_self_assessment(org, default_template, make_user):
    cycle, _n = open_q3()
    make_user(username="second-wave", department=org["sales_dept"], manager=org["manager"])
    _c, added = open_q3()
    assert added == 1
    Cycle.objects.filter(pk=cycle.pk).update(stage="review")
    make_user(username="third-wave", department=org["sales_dept"], manager=org["manager"])
    assert open_q3()[1] == 0


def test_the_snapshot_keeps_the_criteria_when_the_template_changes(org, default_template):
    cycle, _n = open_q3()
    default_template.criteria.update(name="改名后的考核项")
    appraisal = Appraisal.objects.select_related("form").get(cycle=cycle, employee=org["staff"])
    assert "改名后的考核项" not in [c["name"] for c in appraisal.form.criteria]


def _open_for(n):
    dept = DepartmentFactory()
    head = UserFactory(department=dept)
    dept.head = head
    dept.save()
    UserFactory.create_batch(n, department=dept, manager=head)
    with CaptureQueriesContext(connection) as ctx:
        open_q3()
    Cycle.objects.all().delete()
    return len(ctx.captured_queries)


def test_opening_takes_the_same_number_of_queries_for_10_and_200_people(default_template):
    assert _open_for(10) == _open_for(200)


def test_the_command_opens_quarters_and_years(org, default_template, capsys):
    call_command("open_appraisal_cycle", "2026Q3", "--cutoff", "2026-09-01", "--today", "2026-10-08", "--no-notify")
    call_command("open_appraisal_cycle", "2026Q3", "--today", "2026-10-08")
    call_command("open_appraisal_cycle", "2026", "--today", "2027-01-05")
    out = capsys.readouterr().out
    # everybody but the administrator and the general manager (nobody reviews them): HR decides
    assert "2026Q3: 6 appraisals created" in out and "2026Q3: 0 appraisals created, 6 in the cycle" in out
    assert Cycle.objects.get(code="2026").kind == CycleKind.ANNUAL


@pytest.mark.parametrize(
    "today,code",
    [
        (date(2026, 10, 8), "2026Q3"),  # Thursday after the National Day week, the first working day of Q4
        (date(2026, 10, 20), "2026Q3"),  # a missed run catches up
        (date(2026, 1, 4), "2025Q4"),  # a Sunday worked in lieu of the New Year holiday (调休)
        (date(2027, 1, 1), "2026Q4"),  # a Friday: the pinned holiday package does not know 2027 yet
    ],
)
def test_the_scheduled_job_opens_the_previous_quarter_once(org, default_template, today, code):
    assert services.appraisal_cycle_open_previous_quarter(today=today).code == code
    assert services.appraisal_cycle_open_previous_quarter(today=today) is None  # a second run does nothing


def test_the_scheduled_job_waits_for_the_first_working_day(org, default_template):
    for day in range(1, 8):  # National Day week 2026
        assert services.appraisal_cycle_open_previous_quarter(today=date(2026, 10, day)) is None
    # 1 January 2028 is a Saturday: the first working day is Monday the 3rd
    assert services.appraisal_cycle_open_previous_quarter(today=date(2028, 1, 1)) is None
    assert services.appraisal_cycle_open_previous_quarter(today=date(2028, 1, 3)).code == "2027Q4"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_openers_at_once_create_one_appraisal_per_person(default_template):
    import threading

    from apps.appraisals.defaults import ensure_default_template

    ensure_default_template()
    dept = DepartmentFactory()
    head = UserFactory(department=dept)
    UserFactory.create_batch(30, department=dept, manager=head)
    results, errors = [], []

    def run():
        try:
            results.append(open_q3()[1])
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [0, 30]  # the head has no manager: left for HR to decide
    assert Appraisal.objects.count() == 30


def test_hr_opens_a_cycle_with_the_button(org, default_template, client_for):
    response = client_for(org["hr"]).post(reverse("appraisals:cycles"), {"code": "2026q3", "cutoff_date": "2026-09-01"})
    cycle = Cycle.objects.get(code="2026Q3")
    assert response.status_code == 302 and response["Location"] == cycle.get_absolute_url()
    assert cycle.appraisals.count() == 6  # not the administrator, not the gm (nobody to review them)
    bad = client_for(org["hr"]).post(reverse("appraisals:cycles"), {"code": "2026Q9"})
    assert bad.status_code == 200 and "2026Q3" in bad.content.decode()
