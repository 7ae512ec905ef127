"""Doing an appraisal: drafts, submission, stage locking, calibration, publication,
objection, follow-up, peers and the scheduled stage moves."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.appraisals import services
from apps.appraisals.models import Appraisal, AppraisalEvent, Cycle, Stage, Status
from apps.notifications.models import Notification

from .helpers import appraisal_of, full_scores, post_scores, publish, review_all, set_stage

pytestmark = pytest.mark.django_db


def test_a_draft_keeps_partial_scores_and_a_bad_score_loses_nothing(org, cycle, client_for):
    a = appraisal_of(cycle, org["staff"])
    first, second = (str(c["id"]) for c in a.form.criteria[:2])
    client = client_for(org["staff"])
    response = client.post(
        reverse("appraisals:self", args=[a.pk]),
        {f"score-{first}": "88", f"comment-{first}": "完成", "summary": "草稿", "save": "1"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.self_scores[first] == {"score": "88.00", "comment": "完成"} and a.status == Status.SELF
    response = client.post(
        reverse("appraisals:self", args=[a.pk]),
        {
            f"score-{first}": "88",
            f"score-{second}": "150",
            f"comment-{second}": "刚写的说明",
            "summary": "新的总结",
            "save": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and "刚写的说明" in body and "150" in body and "新的总结" in body


def test_long_text_is_refused_with_its_limit_and_the_page_keeps_what_was_typed(org, cycle, client_for):
    a = appraisal_of(cycle, org["staff"])
    first = str(a.form.criteria[0]["id"])
    client = client_for(org["staff"])
    page = client.get(reverse("appraisals:appraisal", args=[a.pk])).content.decode()
    assert f'maxlength="{services.SUMMARY_LIMIT}"' in page and f'maxlength="{services.COMMENT_LIMIT}"' in page
    assert f"最多 {services.SUMMARY_LIMIT} 字" in page
    long_summary = "总" * (services.SUMMARY_LIMIT + 1)
    long_comment = "评" * (services.COMMENT_LIMIT + 1)
    response = client.post(
        reverse("appraisals:self", args=[a.pk]),
        {f"score-{first}": "88", f"comment-{first}": long_comment, "summary": "草稿", "save": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and long_comment in body and f"最多 {services.COMMENT_LIMIT} 字" in body
    response = client.post(
        reverse("appraisals:self", args=[a.pk]), {f"score-{first}": "88", "summary": long_summary, "save": "1"}
    )
    assert response.status_code == 400 and long_summary in response.content.decode()
    a.refresh_from_db()
    assert a.self_scores == {} and a.self_summary == ""  # nothing of either attempt was saved


def test_submitting_needs_every_score_and_a_summary(org, cycle):
    a = appraisal_of(cycle, org["staff"])
    with pytest.raises(ValidationError):
        services.appraisal_save_self(appraisal=a, actor=org["staff"], scores={}, summary="总结", submit=True)
    with pytest.raises(ValidationError):
        services.appraisal_save_self(appraisal=a, actor=org["staff"], scores=full_scores(a), summary="", submit=True)
    services.appraisal_save_self(
        appraisal=a, actor=org["staff"], scores=full_scores(a, "90"), summary="总结", submit=True
    )
    a.refresh_from_db()
    assert (a.status, a.self_total) == (Status.SUBMITTED, 90)
    assert Notification.objects.filter(recipient=org["manager"], kind="appraisals.self_submitted").exists()


def test_after_the_deadline_the_self_form_is_read_only_with_a_notice(org, open_cycle, today, client_for):
    cycle = open_cycle(self_deadline=today - timedelta(days=1), review_deadline=today + timedelta(days=3))
    a = appraisal_of(cycle, org["staff"])
    with pytest.raises(ValidationError, match="截止日期"):
        services.appraisal_save_self(appraisal=a, actor=org["staff"], scores=full_scores(a), summary="x", submit=False)
    response = client_for(org["staff"]).get(reverse("appraisals:appraisal", args=[a.pk]))
    assert response.context["mode"] == "read" and 'data-testid="readonly-notice"' in response.content.decode()
    assert (
        client_for(org["staff"]).post(reverse("appraisals:self", args=[a.pk]), post_scores(a, save="1")).status_code
        == 400
    )


@pytest.mark.parametrize(
    "stage,self_ok,review_ok",
    [
        (Stage.SELF, True, False),
        (Stage.REVIEW, False, True),
        (Stage.CALIBRATION, False, False),
        (Stage.PUBLISHED, False, False),
        (Stage.CLOSED, False, False),
    ],
)
def test_each_stage_opens_only_its_own_form(org, cycle, stage, self_ok, review_ok, today):
    a = appraisal_of(set_stage(cycle, stage), org["staff"])
    assert (services.action_check(a, "self_save", org["staff"], today) == "") is self_ok
    assert (services.action_check(a, "review_save", org["manager"], today) == "") is review_ok


# the appraisal state machine: (status, action, who) -> allowed
ROLE = {"employee": "staff", "reviewer": "manager", "hr": "hr", "other": "outsider"}
STAGE_OF = {
    "self_submit": Stage.SELF,
    "review_submit": Stage.REVIEW,
    "calibrate": Stage.CALIBRATION,
    "acknowledge": Stage.PUBLISHED,
    "object": Stage.PUBLISHED,
    "resolve": Stage.PUBLISHED,
}
TABLE = [
    (status, action, who, services.APPRAISAL_TRANSITIONS.get((status, action), (None, None))[1] == who)
    for status in Status.values
    for action in STAGE_OF
    for who in ROLE
]


@pytest.mark.parametrize("status,action,who,allowed", TABLE)
def test_transition_table(org, cycle, today, status, action, who, allowed):
    set_stage(cycle, STAGE_OF[action])
    Appraisal.objects.filter(cycle=cycle, employee=org["staff"]).update(status=status)
    a = appraisal_of(cycle, org["staff"])
    assert (services.action_check(a, action, org[ROLE[who]], today) == "") is allowed


def test_the_review_stores_total_and_grade_and_later_changes_are_history(org, cycle):
    set_stage(cycle, Stage.REVIEW)
    a = appraisal_of(cycle, org["staff"])
    services.appraisal_save_review(
        appraisal=a, actor=org["manager"], scores=full_scores(a, "89.99"), summary="好", submit=True
    )
    a.refresh_from_db()
    assert (a.total, a.grade, a.final_grade, a.status) == (Decimal("89.99"), "good", "good", Status.REVIEWED)
    services.appraisal_save_review(
        appraisal=a, actor=org["manager"], scores=full_scores(a, "90"), summary="很好", submit=True
    )
    a.refresh_from_db()
    assert (a.total, a.grade) == (Decimal("90.00"), "excellent")
    changed = AppraisalEvent.objects.filter(appraisal=a, action="review_changed").get()
    assert changed.changes["total"] == ["89.99", "90.00"] and changed.actor == org["manager"]


def test_the_live_total_endpoint_answers_with_a_fragment(org, cycle, client_for):
    a = appraisal_of(cycle, org["staff"])
    response = client_for(org["staff"]).post(
        reverse("appraisals:total", args=[a.pk]), post_scores(a, "90"), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "90.00" in body and "优秀" in body and "<html" not in body
    a.refresh_from_db()
    assert a.self_scores == {}  # nothing saved


def test_publishing_is_refused_while_the_forced_distribution_is_broken(org, cycle, client_for):
    review_all(cycle, score_of=lambda a: "95")  # everybody 优秀: 100 % > 20 %
    set_stage(cycle, Stage.CALIBRATION)
    response = client_for(org["hr"]).post(
        reverse("appraisals:cycle_action", args=[cycle.code]), {"action": "publish", "from": "calibration"}, follow=True
    )
    cycle.refresh_from_db()
    assert cycle.stage == Stage.CALIBRATION
    assert "“优秀”占全公司 100.0 %，最多允许 20.0 %" in response.content.decode()
    # calibrate all but one down to 良好 (with a reason each): 1 of 6 = 16.7 %
    live = list(Appraisal.objects.filter(cycle=cycle, is_excluded=False).select_related("cycle").order_by("pk"))
    for a in live[1:]:
        services.appraisal_calibrate(appraisal=a, actor=org["hr"], final_grade="good", reason="横向比较")
    assert services.cycle_transition(cycle=cycle, action="publish", actor=org["hr"]).stage == Stage.PUBLISHED
    assert set(Appraisal.objects.filter(cycle=cycle, is_excluded=False).values_list("status", flat=True)) == {
        Status.PUBLISHED
    }


def test_a_calibration_needs_a_reason_and_the_manager_sees_it(org, cycle, client_for):
    review_all(cycle)
    set_stage(cycle, Stage.CALIBRATION)
    a = appraisal_of(cycle, org["staff"])
    with pytest.raises(ValidationError):
        services.appraisal_calibrate(appraisal=a, actor=org["hr"], final_grade="pass", reason=" ")
    services.appraisal_calibrate(appraisal=a, actor=org["hr"], final_grade="pass", reason="部门整体偏高")
    body = client_for(org["manager"]).get(reverse("appraisals:appraisal", args=[a.pk])).content.decode()
    assert "部门整体偏高" in body
    assert (
        "部门整体偏高"
        not in client_for(org["staff"]).get(reverse("appraisals:appraisal", args=[a.pk])).content.decode()
    )


def test_the_objection_flow(org, cycle, client_for):
    review_all(cycle)
    publish(cycle, org["hr"])
    a = appraisal_of(cycle, org["staff"])
    staff = client_for(org["staff"])
    staff.post(reverse("appraisals:object", args=[a.pk]), {"reason": "工作质量评分偏低"})
    a.refresh_from_db()
    assert a.status == Status.OBJECTED and a.objection_reason == "工作质量评分偏低"
    assert Notification.objects.filter(recipient=org["hr"], kind="approvals.task").exists()
    # a second objection or an acknowledgement after objecting is refused
    with pytest.raises(ValidationError):
        services.appraisal_acknowledge(appraisal=a, actor=org["staff"])
    client_for(org["hr"]).post(
        reverse("appraisals:resolve", args=[a.pk]), {"resolution": "复核后上调", "final_grade": "excellent"}
    )
    a.refresh_from_db()
    assert (a.status, a.final_grade, a.objection_resolution) == (Status.RESOLVED, "excellent", "复核后上调")
    assert list(a.events.values_list("action", flat=True))[-3:] == ["objected", "objection_grade", "objection_resolved"]
    assert Notification.objects.filter(recipient=org["staff"], kind="appraisals.objection_resolved").exists()


def test_acknowledging_the_result(org, cycle, client_for):
    review_all(cycle)
    publish(cycle, org["hr"])
    a = appraisal_of(cycle, org["staff"])
    client_for(org["staff"]).post(reverse("appraisals:acknowledge", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == Status.ACKNOWLEDGED and a.acknowledged_at


def test_an_improvement_plan_is_for_a_fail_and_needs_owner_and_date(org, cycle):
    review_all(cycle, score_of=lambda a: "50" if a.employee == org["staff"] else "85")
    publish(cycle, org["hr"])
    failed, passed = appraisal_of(cycle, org["staff"]), appraisal_of(cycle, org["ops"])
    with pytest.raises(ValidationError):
        services.appraisal_set_followup(
            appraisal=passed,
            actor=org["hr"],
            bonus_coefficient=None,
            promotion_recommended=False,
            improvement_plan="改进",
            improvement_owner=org["manager"],
            improvement_due=cycle.close_date,
        )
    with pytest.raises(ValidationError):
        services.appraisal_set_followup(
            appraisal=failed,
            actor=org["hr"],
            bonus_coefficient=None,
            promotion_recommended=False,
            improvement_plan="改进",
        )
    services.appraisal_set_followup(
        appraisal=failed,
        actor=org["hr"],
        bonus_coefficient=0.5,
        promotion_recommended=False,
        improvement_plan="每周复盘销售漏斗",
        improvement_owner=org["manager"],
        improvement_due=cycle.close_date,
    )
    failed.refresh_from_db()
    assert failed.improvement_owner == org["manager"] and failed.events.filter(action="followup").exists()


def test_hr_excludes_with_a_reason_and_reassigns_a_reviewer(org, cycle):
    a = appraisal_of(cycle, org["staff"])
    with pytest.raises(ValidationError):
        services.appraisal_exclude(appraisal=a, actor=org["hr"], reason="")
    services.appraisal_reassign_reviewer(appraisal=a, actor=org["hr"], reviewer=org["ops_head"], reason="借调")
    services.appraisal_exclude(appraisal=a, actor=org["hr"], reason="长期病假")
    a.refresh_from_db()
    assert a.reviewer == org["ops_head"] and a.is_excluded and a.excluded_reason == "长期病假"
    assert list(a.events.values_list("action", flat=True)) == ["reviewer_changed", "excluded"]


def test_peers_comment_anonymously_on_chosen_criteria(org, cycle, client_for):
    """Each peer's invitation opens their own form; comments appear only once three have
    answered, in an order that says nothing about who wrote which; no reader sees who
    answered and who did not."""
    a = appraisal_of(cycle, org["staff"])
    chosen = a.form.criteria[-1]
    peers = [org["ops"], org["outsider"], org["ops_head"], org["hr"]]
    services.peer_invite(
        appraisal=a, actor=org["manager"], peers=peers, criteria=[chosen["id"]], deadline=cycle.self_deadline
    )
    texts = {"ops": "乐于分享，配合度高", "outsider": "沟通及时", "ops_head": "按时交付"}
    for name, text in texts.items():
        link = Notification.objects.get(recipient=org[name], kind="appraisals.peer_invited").url
        peer = client_for(org[name])
        assert peer.get(link).status_code == 200  # the invitation leads to the feedback form
        peer.post(link, {f"comment-{chosen['id']}": text})
        answered = list(texts).index(name) + 1
        for reader in ("staff", "manager", "hr", "admin"):
            body = client_for(org[reader]).get(reverse("appraisals:appraisal", args=[a.pk])).content.decode()
            # the comments and counts never carry a name; the list of who was asked no status
            feedback = re.search(r'id="peer-feedback".*?</section>', body, flags=re.S).group(0)
            assert not [p for p in peers if p.name in feedback]
            invites = re.search(r'id="peer-invites".*?</section>', body, flags=re.S)
            assert invites is None or "text-success" not in invites.group(0)
            shown = [t for t in texts.values() if t in body]
            assert sorted(shown) == ([] if answered < 3 else sorted(texts.values()))
    body = client_for(org["manager"]).get(reverse("appraisals:appraisal", args=[a.pk])).content.decode()
    positions = [body.index(t) for t in sorted(texts.values())]
    assert positions == sorted(positions)  # sorted by text, not by who answered first


def test_scheduled_stage_moves_catch_up_and_do_nothing_twice(org, open_cycle, today):
    cycle = open_cycle(
        self_deadline=today - timedelta(days=10),
        review_deadline=today - timedelta(days=5),
        calibration_deadline=today + timedelta(days=1),
    )
    moved = services.appraisal_stages_advance_due(today=today)
    assert moved == [(cycle.code, Stage.REVIEW), (cycle.code, Stage.CALIBRATION)]
    assert services.appraisal_stages_advance_due(today=today) == []
    assert Cycle.objects.get(pk=cycle.pk).stage == Stage.CALIBRATION  # publishing stays HR's call


def test_the_scheduled_jobs_call_the_services(org, default_template):
    from apps.scheduling.runner import run_job

    at = "2026-10-0%d 06:00 +0800"
    with time_machine.travel(at % 3, tick=False):  # the National Day week: nothing opens yet
        assert run_job("appraisals.open_previous_quarter").items == 0
    with time_machine.travel(at % 8, tick=False):  # the first working day of Q4
        assert run_job("appraisals.advance_due_stages").outcome == "ok"
        run = run_job("appraisals.open_previous_quarter")
    assert run.outcome == "ok" and run.items > 0 and Cycle.objects.filter(code="2026Q3").exists()


def test_hr_changes_deadlines_and_rules_but_not_the_bands_once_reviews_started(org, cycle, client_for, today):
    data = {
        "cutoff_date": cycle.cutoff_date,
        "self_deadline": today + timedelta(days=6),
        "review_deadline": today + timedelta(days=12),
        "calibration_deadline": today + timedelta(days=16),
        "close_date": today + timedelta(days=31),
        "distribution_is_hard": "on",
        "excellent_max": "15",
        "fail_min": "5",
        "band_excellent": "92",
        "band_good": "80",
        "band_pass": "60",
    }
    response = client_for(org["hr"]).post(reverse("appraisals:cycle", args=[cycle.code]), data)
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.forced_distribution == {"excellent": {"max": 15.0}, "fail": {"min": 5.0}}
    assert cycle.grade_bands[0] == {"grade": "excellent", "min": "92"}
    set_stage(cycle, Stage.REVIEW)
    response = client_for(org["hr"]).post(
        reverse("appraisals:cycle", args=[cycle.code]), {**data, "band_excellent": "95"}
    )
    assert response.status_code == 200 and "自评阶段" in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_hr_clicks_on_publish_give_one_publication(org, open_cycle):
    import threading

    from django.db import connection

    cycle = open_cycle()
    review_all(cycle)
    set_stage(cycle, Stage.CALIBRATION)
    outcomes = []

    def click():
        try:
            services.cycle_transition(cycle=cycle, action="publish", actor=org["hr"])
            outcomes.append("published")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["published", "refused"]
    assert cycle.events.filter(action="publish").count() == 1


def test_a_submitted_review_cannot_be_emptied_by_a_draft_save(org, cycle):
    set_stage(cycle, Stage.REVIEW)
    a = appraisal_of(cycle, org["staff"])
    services.appraisal_save_review(
        appraisal=a, actor=org["manager"], scores=full_scores(a, "80"), summary="好", submit=True
    )
    with pytest.raises(ValidationError):
        services.appraisal_save_review(appraisal=a, actor=org["manager"], scores={}, summary="好", submit=False)
    a.refresh_from_db()
    assert a.total == Decimal("80.00") and a.grade == "good"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_on_next_stage_moves_the_cycle_one_stage(org, cycle, client_for):
    """Two requests from the same page at the same moment: one advances, one is told."""
    import threading

    from django.db import connection

    from apps.appraisals.models import CycleEvent, Stage

    shown = cycle.stage
    url = reverse("appraisals:cycle_action", args=[cycle.code])
    barrier, statuses = threading.Barrier(2), []

    def click():
        try:
            c = client_for(org["hr"])
            barrier.wait()
            statuses.append(c.post(url, {"action": "advance", "from": shown}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cycle.refresh_from_db()
    assert statuses == [302, 302]
    assert cycle.stage == Stage.REVIEW  # not calibration
    assert CycleEvent.objects.filter(cycle=cycle, action="advance").count() == 1
