"""Issue 15, appraisals: stage steps confirmed with counts and reversible (back a stage, with
a reason, while nothing of the later stage was done), reminders and bulk exclusion, opening
refused while a cycle of the same kind is open, non-employees left for HR, and bulk inline
calibration."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.appraisals import services
from apps.appraisals.models import Appraisal, AppraisalEvent, Cycle, CycleEvent, Grade, Stage, Status
from apps.appraisals.opening import LeftOut, appraisal_cycle_open, left_out
from apps.notifications.models import Notification

from .helpers import appraisal_of, full_scores, review_all, set_stage

pytestmark = pytest.mark.django_db


def _advance(cycle, hr):
    return services.cycle_transition(cycle=cycle, action="advance", actor=hr, from_stage=cycle.stage)


# --- back and forth -----------------------------------------------------------------------


def test_review_goes_back_to_self_assessment_with_the_reason_in_the_history_and_forth_again(org, cycle):
    _advance(cycle, org["hr"])
    back = services.cycle_transition(
        cycle=cycle, action="back", actor=org["hr"], from_stage=Stage.REVIEW, reason="误操作，提前推进了"
    )
    assert back.stage == Stage.SELF
    event = CycleEvent.objects.filter(cycle=cycle, action="back").get()
    assert event.detail == {"from": Stage.REVIEW, "to": Stage.SELF, "reason": "误操作，提前推进了"}
    assert event.actor == org["hr"]
    # the people still to self-assess are told the form is open again
    assert Notification.objects.filter(kind="appraisals.self_open", recipient=org["staff"]).exists()
    assert _advance(Cycle.objects.get(pk=cycle.pk), org["hr"]).stage == Stage.REVIEW


def test_calibration_goes_back_to_review_and_reviewers_are_told(org, cycle):
    review_all(cycle)
    set_stage(cycle, Stage.CALIBRATION)
    services.cycle_transition(cycle=cycle, action="back", actor=org["hr"], from_stage=Stage.CALIBRATION, reason="重评")
    assert Cycle.objects.get(pk=cycle.pk).stage == Stage.REVIEW
    assert Notification.objects.filter(kind="appraisals.review_open", recipient=org["manager"]).exists()


@pytest.mark.parametrize("who", ["manager", "staff", None])
def test_only_hr_takes_a_cycle_back(org, cycle, who):
    _advance(cycle, org["hr"])
    with pytest.raises(PermissionDenied):
        services.cycle_transition(cycle=cycle, action="back", actor=org[who] if who else None, reason="x")
    assert Cycle.objects.get(pk=cycle.pk).stage == Stage.REVIEW


def test_going_back_needs_a_reason(org, cycle):
    _advance(cycle, org["hr"])
    with pytest.raises(ValidationError):
        services.cycle_transition(cycle=cycle, action="back", actor=org["hr"], reason="  ")
    assert Cycle.objects.get(pk=cycle.pk).stage == Stage.REVIEW


def test_no_way_back_once_a_review_was_written_in_the_review_stage(org, cycle):
    _advance(cycle, org["hr"])
    a = appraisal_of(cycle, org["staff"])  # never self-assessed: reviewed in the review stage
    services.appraisal_save_review(appraisal=a, actor=org["manager"], scores=full_scores(a), summary="", submit=False)
    assert services.back_problems(Cycle.objects.get(pk=cycle.pk))
    with pytest.raises(ValidationError):
        services.cycle_transition(cycle=cycle, action="back", actor=org["hr"], reason="x")
    assert Cycle.objects.get(pk=cycle.pk).stage == Stage.REVIEW


def test_no_way_back_once_a_grade_was_calibrated(org, cycle):
    review_all(cycle)
    set_stage(cycle, Stage.CALIBRATION)
    a = appraisal_of(cycle, org["staff"])
    services.appraisal_calibrate(appraisal=a, actor=org["hr"], final_grade=Grade.PASS, reason="横向比较")
    with pytest.raises(ValidationError):
        services.cycle_transition(cycle=cycle, action="back", actor=org["hr"], reason="x")
    assert Cycle.objects.get(pk=cycle.pk).stage == Stage.CALIBRATION


def test_the_published_and_self_stages_have_no_back_step(org, cycle):
    with pytest.raises(ValidationError):
        services.cycle_transition(cycle=cycle, action="back", actor=org["hr"], reason="x")


def test_a_passed_deadline_needs_a_new_one_when_going_back(org, open_cycle):
    with time_machine.travel(date(2026, 4, 1), tick=False):
        cycle = open_cycle(
            "2026Q1",
            self_deadline=date(2026, 4, 10),
            review_deadline=date(2026, 4, 20),
            calibration_deadline=date(2026, 4, 27),
            close_date=date(2026, 5, 15),
        )
        _advance(cycle, org["hr"])
    with time_machine.travel(date(2026, 4, 13), tick=False):
        with pytest.raises(ValidationError):
            services.cycle_transition(cycle=cycle, action="back", actor=org["hr"], reason="x")
        with pytest.raises(ValidationError):  # after the review deadline: the stages' order breaks
            services.cycle_transition(
                cycle=cycle, action="back", actor=org["hr"], reason="x", deadline=date(2026, 4, 22)
            )
        services.cycle_transition(cycle=cycle, action="back", actor=org["hr"], reason="x", deadline=date(2026, 4, 16))
    cycle.refresh_from_db()
    assert (cycle.stage, cycle.self_deadline) == (Stage.SELF, date(2026, 4, 16))
    # the scheduler does not push it on again before the new deadline
    assert services.appraisal_stages_advance_due(today=date(2026, 4, 16)) == []


def test_a_double_click_on_back_moves_the_cycle_back_once(org, cycle, client_for):
    review_all(cycle)
    set_stage(cycle, Stage.CALIBRATION)
    client = client_for(org["hr"])
    url = reverse("appraisals:cycle_action", args=[cycle.code])
    for _ in range(2):
        response = client.post(url, {"action": "back", "from": Stage.CALIBRATION, "reason": "重评"})
        assert response.status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).stage == Stage.REVIEW
    assert CycleEvent.objects.filter(cycle=cycle, action="back").count() == 1


def test_the_back_button_without_a_reason_keeps_the_stage_and_says_why(org, cycle, client_for):
    _advance(cycle, org["hr"])
    client = client_for(org["hr"])
    response = client.post(
        reverse("appraisals:cycle_action", args=[cycle.code]), {"action": "back", "from": Stage.REVIEW}, follow=True
    )
    assert Cycle.objects.get(pk=cycle.pk).stage == Stage.REVIEW
    assert "必填项" in response.content.decode()


@pytest.mark.parametrize("who,status", [("staff", 403), ("manager", 403)])
def test_others_cannot_post_stage_steps(org, cycle, client_for, who, status):
    _advance(cycle, org["hr"])
    response = client_for(org[who]).post(
        reverse("appraisals:cycle_action", args=[cycle.code]), {"action": "back", "from": Stage.REVIEW, "reason": "x"}
    )
    assert response.status_code == status
    assert Cycle.objects.get(pk=cycle.pk).stage == Stage.REVIEW


# --- confirmation with counts, reminders, bulk exclusion ----------------------------------


def test_the_next_stage_dialog_says_who_has_not_submitted_and_whom_it_reaches(org, cycle, client_for):
    a = appraisal_of(cycle, org["staff"])
    services.appraisal_save_self(appraisal=a, actor=org["staff"], scores=full_scores(a), summary="总结", submit=True)
    total = Appraisal.objects.filter(cycle=cycle, is_excluded=False).count()
    live = Appraisal.objects.filter(cycle=cycle, is_excluded=False).exclude(reviewer=None)
    reviewers = len(set(live.values_list("reviewer", flat=True)))
    html = client_for(org["hr"]).get(reverse("appraisals:cycle", args=[cycle.code])).content.decode()
    assert f"{total} 人中有 {total - 1} 人尚未提交自评" in html
    assert 'id="stage-advance"' in html and "remind/" in html
    assert f"将通知 {reviewers} 人" in html.split('data-testid="reach"')[1][:200]


def test_hr_reminds_who_is_behind_at_most_once_a_day(org, cycle, client_for):
    client = client_for(org["hr"])
    url = reverse("appraisals:cycle_remind", args=[cycle.code])
    behind = Appraisal.objects.filter(cycle=cycle, is_excluded=False, status=Status.SELF).count()
    client.post(url)
    client.post(url)
    sent = Notification.objects.filter(kind="appraisals.stage_deadline")
    assert sent.count() == behind and sent.filter(recipient=org["staff"]).count() == 1
    assert CycleEvent.objects.filter(cycle=cycle, action="reminded").count() == 1


def test_hr_excludes_several_at_once_with_one_reason_and_a_second_submit_changes_nothing(org, cycle, client_for):
    ids = [appraisal_of(cycle, org[u]).pk for u in ("staff", "ops")]
    client = client_for(org["hr"])
    url = reverse("appraisals:cycle_exclude", args=[cycle.code])
    client.post(url, {"ids": ids, "reason": ""})
    assert not Appraisal.objects.filter(pk__in=ids, is_excluded=True).exists()  # a reason is required
    for _ in range(2):
        client.post(url, {"ids": ids, "reason": "长期病假"})
    assert set(Appraisal.objects.filter(pk__in=ids).values_list("is_excluded", "excluded_reason")) == {
        (True, "长期病假")
    }
    assert AppraisalEvent.objects.filter(appraisal_id__in=ids, action="excluded").count() == 2
    assert client_for(org["manager"]).post(url, {"ids": ids, "reason": "x"}).status_code == 403


# --- opening --------------------------------------------------------------------------------


def test_opening_is_refused_while_a_cycle_of_the_same_kind_is_open(org, default_template, client_for):
    with time_machine.travel(date(2026, 4, 2), tick=False):
        appraisal_cycle_open(code="2026Q1", notify=False)
        with pytest.raises(ValidationError, match="2026Q1"):
            appraisal_cycle_open(code="2026Q2", notify=False)
        appraisal_cycle_open(code="2025", notify=False)  # another kind may run alongside
        response = client_for(org["hr"]).post(reverse("appraisals:cycles"), {"code": "2026q2"})
        assert response.status_code == 200  # the form again, with the error and what was typed
        html = response.content.decode()
        assert "2026Q1" in html and 'value="2026q2"' in html
        assert not Cycle.objects.filter(code="2026Q2").exists()
        Cycle.objects.filter(code="2026Q1").update(stage=Stage.CLOSED)
        assert appraisal_cycle_open(code="2026Q2", notify=False)[0].code == "2026Q2"


def test_deadlines_before_the_period_are_refused(org, default_template):
    with time_machine.travel(date(2026, 4, 2), tick=False):
        with pytest.raises(ValidationError):
            appraisal_cycle_open(code="2026Q2", self_deadline=date(2026, 3, 20), notify=False)
        with pytest.raises(ValidationError):
            appraisal_cycle_open(code="2026Q2", cutoff_date=date(2025, 12, 1), notify=False)
    assert not Cycle.objects.exists()


def test_non_employees_are_not_enrolled_but_listed_for_hr(org, default_template, make_user, client_for):
    from apps.departments.tests.factories import DepartmentFactory

    board = DepartmentFactory(name="董事会", code="board", parent=org["root"])
    director = make_user(roles=["staff"], username="director", department=board, manager=org["gm"])
    system = make_user(roles=["staff"], username="robot", department=None)
    with time_machine.travel(date(2026, 4, 2), tick=False):
        cycle, _n = appraisal_cycle_open(code="2026Q1", notify=False)
    enrolled = set(Appraisal.objects.filter(cycle=cycle).values_list("employee__username", flat=True))
    assert {"staff", "manager", "hr"} <= enrolled
    assert not {"admin", "director", "robot", "gm"} & enrolled
    reasons = {r["user"].username: r["reason"] for r in left_out(cycle)}
    assert reasons == {
        "admin": LeftOut.ADMIN,
        "director": LeftOut.BOARD,
        "robot": LeftOut.NO_DEPARTMENT,
        "gm": LeftOut.NO_REVIEWER,
    }
    client = client_for(org["hr"])
    html = client.get(reverse("appraisals:cycle", args=[cycle.code])).content.decode()
    assert 'data-testid="left-out"' in html and director.name in html and system.username in html
    client.post(reverse("appraisals:cycle_add", args=[cycle.code]), {"add-person": "gm", "add-reason": "董事会考核"})
    assert Appraisal.objects.filter(cycle=cycle, employee=org["gm"]).exists()
    assert "gm" not in {r["user"].username for r in left_out(cycle)}


# --- bulk calibration -------------------------------------------------------------------------


def _calibrating(org, cycle):
    review_all(cycle, score_of=lambda a: "92")  # everyone Excellent: over the 20 % limit
    return set_stage(cycle, Stage.CALIBRATION)


def _grades_post(cycle, grades, reason="横向校准", **extra):
    data = {f"grade-{a.pk}": grade for a, grade in grades.items()}
    return {"reason": reason, **data, **extra}


def test_hr_adjusts_several_grades_at_once_and_a_second_submit_changes_nothing(org, cycle, client_for):
    _calibrating(org, cycle)
    staff, ops = appraisal_of(cycle, org["staff"]), appraisal_of(cycle, org["ops"])
    client = client_for(org["hr"])
    url = reverse("appraisals:calibration_adjust", args=[cycle.code])
    data = _grades_post(cycle, {staff: Grade.GOOD, ops: Grade.PASS})
    first = client.post(url, data, HTTP_HX_REQUEST="true")
    second = client.post(url, data, HTTP_HX_REQUEST="true")
    assert first.status_code == second.status_code == 200
    assert 'id="calibration-live"' in first.content.decode()
    assert Appraisal.objects.get(pk=staff.pk).final_grade == Grade.GOOD
    assert Appraisal.objects.get(pk=ops.pk).final_grade == Grade.PASS
    assert AppraisalEvent.objects.filter(action="calibrated").count() == 2
    # one message per reviewer, not one per grade and not again on the second submit
    assert Notification.objects.filter(kind="appraisals.calibrated").count() == 2
    assert Appraisal.objects.get(pk=staff.pk).calibration_reason == "横向校准"


def test_bulk_calibration_needs_a_reason_and_keeps_what_was_chosen(org, cycle, client_for):
    _calibrating(org, cycle)
    staff = appraisal_of(cycle, org["staff"])
    response = client_for(org["hr"]).post(
        reverse("appraisals:calibration_adjust", args=[cycle.code]),
        _grades_post(cycle, {staff: Grade.GOOD}, reason=""),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "调整等级必须填写原因" in html
    assert f'name="grade-{staff.pk}"' in html and 'value="good" selected' in html.split(f'name="grade-{staff.pk}"')[1]
    assert Appraisal.objects.get(pk=staff.pk).final_grade == Grade.EXCELLENT


def test_the_preview_redraws_the_distribution_without_saving(org, cycle, client_for):
    _calibrating(org, cycle)
    staff = appraisal_of(cycle, org["staff"])
    response = client_for(org["hr"]).post(
        reverse("appraisals:calibration_adjust", args=[cycle.code]),
        _grades_post(cycle, {staff: Grade.GOOD}, preview="1"),
        HTTP_HX_REQUEST="true",
    )
    assert response.context["o"]["pending"] == 1
    counts = {r.grade: r.count for r in response.context["o"]["company"]}
    live = Appraisal.objects.filter(cycle=cycle, is_excluded=False).count()
    assert counts[Grade.EXCELLENT] == live - 1 and counts[Grade.GOOD] == 1
    assert Appraisal.objects.get(pk=staff.pk).final_grade == Grade.EXCELLENT
    assert not AppraisalEvent.objects.filter(action="calibrated").exists()


@pytest.mark.parametrize("who", ["manager", "staff", "ops"])
def test_only_hr_calibrates_in_bulk(org, cycle, client_for, who):
    _calibrating(org, cycle)
    staff = appraisal_of(cycle, org["staff"])
    response = client_for(org[who]).post(
        reverse("appraisals:calibration_adjust", args=[cycle.code]), _grades_post(cycle, {staff: Grade.FAIL})
    )
    assert response.status_code == 403
    assert Appraisal.objects.get(pk=staff.pk).final_grade == Grade.EXCELLENT


def test_bulk_calibration_only_in_the_calibration_stage(org, cycle):
    review_all(cycle)
    staff = appraisal_of(cycle, org["staff"])
    with pytest.raises(ValidationError):
        services.appraisals_calibrate_many(cycle=cycle, actor=org["hr"], grades={staff.pk: Grade.FAIL}, reason="x")


def test_the_preview_takes_the_same_queries_for_a_few_and_many_changes(org, open_cycle, client_for):
    counts = []
    for n, code in ((5, "2025Q1"), (50, "2025Q2")):
        UserFactory.create_batch(n, department=org["sales_dept"], manager=org["manager"], roles=["staff"])
        cycle = _calibrating(org, open_cycle(code))
        rows = Appraisal.objects.filter(cycle=cycle, is_excluded=False)
        data = {f"grade-{pk}": Grade.GOOD for pk in rows.values_list("pk", flat=True)}
        with CaptureQueriesContext(connection) as ctx:
            response = client_for(org["hr"]).post(
                reverse("appraisals:calibration_adjust", args=[cycle.code]),
                {**data, "preview": "1"},
                HTTP_HX_REQUEST="true",
            )
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_deadline_of_a_cycle_settings_change_stays_in_the_period(org, cycle):
    with pytest.raises(ValidationError):
        services.cycle_update_settings(
            cycle=cycle, actor=org["hr"], self_deadline=cycle.period_start - timedelta(days=1)
        )
