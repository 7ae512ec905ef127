"""The library's own steps (submit, retire) table-driven over every state and role; the
approval itself on the engine (kind "policies.draft"): four eyes, the engine's decision
publishing or sending back the draft, its timeline."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from apps.approvals import services as approvals
from apps.approvals.models import Event, Request, Task
from apps.policies import services
from apps.policies.models import HistoryAction, Policy, PolicyHistory, PolicyStatus, PolicyVersion
from apps.policies.models import VersionStatus as S

from .factories import decide, make_draft, publish, regulation_text

STATES = [S.DRAFT, S.IN_REVIEW, S.SCHEDULED, S.PUBLISHED, S.SUPERSEDED, S.RETIRED]
STEPS = {"submit": services.version_submit, "retire": services.version_retire}
ROLES = ["staff", "manager", "ops", "admin", "hr", "gm", "outsider"]  # manager = head of the owning department

# (state, step) -> roles that may; a pair missing here is refused whoever asks.
MAY = {
    (S.DRAFT, "submit"): {"manager", "ops", "admin"},
    (S.PUBLISHED, "retire"): {"ops", "admin"},
}
TARGET = {(S.DRAFT, "submit"): S.IN_REVIEW, (S.PUBLISHED, "retire"): S.RETIRED}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("role", ROLES)
def test_library_steps_table(org, state, step, role):
    future = date.today() + timedelta(days=30)
    version = make_draft(actor=org["ops_head"], owning_department=org["sales_dept"], effective_date=future)
    PolicyVersion.objects.filter(pk=version.pk).update(status=state)
    version.refresh_from_db()
    user = org[role]
    history_before = PolicyHistory.objects.count()
    if (state, step) not in MAY:
        with pytest.raises(services.TransitionError):
            STEPS[step](version=version, actor=user, comment="c")
    elif role not in MAY[(state, step)]:
        with pytest.raises(PermissionDenied):
            STEPS[step](version=version, actor=user, comment="c")
    else:
        result = STEPS[step](version=version, actor=user, comment="c")
        assert result.status == TARGET[(state, step)]
        if step == "submit":
            assert services.approval_of(version).events.filter(operation=Event.Operation.SUBMIT, actor=user).exists()
        else:
            assert PolicyHistory.objects.filter(version=version, actor=user, comment="c").exists()
        return
    version.refresh_from_db()
    assert version.status == state, "a refused step changes nothing"
    assert PolicyHistory.objects.count() == history_before
    assert not Request.objects.filter(kind=services.KIND, object_id=version.pk).exists()


def test_a_stale_page_cannot_submit_twice(org):
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_submit(version=version, actor=org["ops"], from_status=S.DRAFT)
    with pytest.raises(services.TransitionError):
        services.version_submit(version=version, actor=org["ops"], from_status=S.DRAFT)
    assert Request.objects.filter(kind=services.KIND, object_id=version.pk).count() == 1


def test_default_flow_owning_head_then_operations(org):
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_submit(version=version, actor=org["ops"])
    request = services.approval_of(version)
    assert list(Task.objects.filter(request=request, status="pending").values_list("assignee", flat=True)) == [
        org["manager"].pk
    ]
    decide(version)
    # operations pool without the author (ops): the ops head
    assert list(Task.objects.filter(request=request, status="pending").values_list("assignee", flat=True)) == [
        org["ops_head"].pk
    ]


@pytest.mark.parametrize("operation", ["return", "reject"])
def test_sent_back_drafts_are_editable_again(org, operation):
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_submit(version=version, actor=org["ops"])
    decide(version, operation, opinion="请补充附则")
    version.refresh_from_db()
    assert version.status == S.DRAFT and version.policy.status == PolicyStatus.DRAFT
    services.draft_update(
        version=version,
        actor=org["ops"],
        text=regulation_text(extra="补充"),
        title=version.title,
        label=version.label,
        effective_date=None,
        change_summary="补充附则",
        ack_scope="none",
    )
    services.version_submit(version=version, actor=org["ops"])
    request = services.approval_of(version)
    assert request.status == Request.Status.PENDING
    if operation == "return":  # the same request, a second submission, the edit on its timeline
        assert request.submission == 2 and request.events.filter(operation=Event.Operation.EDIT).exists()
    else:  # a rejected request is closed: a new one starts
        assert Request.objects.filter(kind=services.KIND, object_id=version.pk).count() == 2


def test_returning_needs_an_opinion(org):
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_submit(version=version, actor=org["ops"])
    with pytest.raises(approvals.ApprovalError):
        decide(version, "return", opinion="  ")
    version.refresh_from_db()
    assert version.status == S.IN_REVIEW


def test_withdraw_makes_it_a_draft(org):
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_submit(version=version, actor=org["ops"])
    approvals.act(request=services.approval_of(version), actor=org["ops"], operation="withdraw")
    version.refresh_from_db()
    assert version.status == S.DRAFT


def test_full_path_publishes_on_the_last_approval_when_effective_date_has_come(org):
    version = make_draft(actor=org["ops_head"], owning_department=org["sales_dept"], effective_date=date(2020, 1, 1))
    version = publish(version, ops=org["ops"])
    policy = Policy.objects.get(pk=version.policy_id)
    assert version.status == S.PUBLISHED
    assert policy.current_version_id == version.pk and policy.status == PolicyStatus.PUBLISHED
    actions = list(PolicyHistory.objects.filter(policy=policy).order_by("at", "pk").values_list("action", flat=True))
    assert actions == [HistoryAction.CREATE, HistoryAction.DRAFT, HistoryAction.PUBLISH]
    timeline = list(services.approval_of(version).events.values_list("operation", "actor__username"))
    assert ("submit", "ops") in timeline and ("approve", "manager") in timeline and ("finish", None) in timeline


@time_machine.travel("2026-03-01 10:00 +0800", tick=False)  # the engine's decision publishes on "today"
def test_future_effective_date_waits_for_the_scheduled_job_which_is_idempotent(org):
    today = date(2026, 3, 1)
    first = publish(
        make_draft(actor=org["ops"], owning_department=org["sales_dept"], effective_date=date(2026, 1, 1)),
        ops=org["ops"],
        today=today,
    )
    policy = first.policy
    second = services.draft_create(
        policy=policy, actor=org["ops"], text=regulation_text(extra="新"), effective_date=date(2026, 4, 1)
    )
    second = publish(second, ops=org["ops"], today=today)
    assert second.status == S.SCHEDULED
    assert services.policies_publish_due(today=date(2026, 3, 31)) == 0
    assert services.policies_publish_due(today=date(2026, 4, 2)) == 1  # a missed day catches up
    assert services.policies_publish_due(today=date(2026, 4, 2)) == 0  # a second run does nothing
    second.refresh_from_db()
    first.refresh_from_db()
    policy.refresh_from_db()
    assert second.status == S.PUBLISHED and first.status == S.SUPERSEDED
    assert policy.current_version_id == second.pk
    assert policy.next_review_date == date(2027, 4, 1)
    assert PolicyHistory.objects.filter(version=first, action=HistoryAction.SUPERSEDE).count() == 1


def test_the_scheduled_job_calls_the_publisher(org):
    from apps.scheduling.runner import run_job

    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"], effective_date=date(2000, 1, 1))
    PolicyVersion.objects.filter(pk=version.pk).update(status=S.SCHEDULED)
    assert run_job("policies.publish_due").items == 1
    version.refresh_from_db()
    assert version.status == S.PUBLISHED


def test_published_version_is_immutable(org, published):
    with pytest.raises(services.TransitionError):
        services.draft_update(
            version=published,
            actor=org["ops"],
            text="新文本\n第一条 改了。",
            title="x",
            label="V1",
            effective_date=None,
            change_summary="",
            ack_scope="none",
        )
    with pytest.raises(services.TransitionError):
        services.draft_delete(version=published, actor=org["ops"])


def test_only_one_version_open_at_a_time(org, published):
    services.draft_from_current(policy=published.policy, actor=org["ops"])
    with pytest.raises(ValidationError):
        services.draft_from_current(policy=published.policy, actor=org["ops"])


def test_retire_marks_the_policy_retired(org, published):
    services.version_retire(version=published, actor=org["ops"], comment="业务已取消")
    policy = Policy.objects.get(pk=published.policy_id)
    assert policy.status == PolicyStatus.RETIRED
    assert policy.current_version.status == S.RETIRED


def test_scheduled_job_is_registered_and_publishes(org):
    from django.utils import timezone

    from apps.scheduling.registry import get

    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"], effective_date=date(2000, 1, 1))
    PolicyVersion.objects.filter(pk=version.pk).update(status=S.SCHEDULED)
    assert get("policies.publish_due").func(timezone.now()) == 1
    assert get("policies.publish_due").func(timezone.now()) == 0


def test_four_eyes_nobody_approves_their_own_draft(org):
    # The head of the owning department wrote it and ops submits it: the head's stage goes up.
    version = make_draft(actor=org["manager"], owning_department=org["sales_dept"])
    services.version_submit(version=version, actor=org["ops"])
    request = services.approval_of(version)
    waiting = Task.objects.get(request=request, status="pending")
    assert waiting.assignee == org["gm"]
    assert request.events.filter(operation=Event.Operation.SUBSTITUTE, on_behalf_of=org["manager"]).exists()
    with pytest.raises(approvals.ApprovalError):
        approvals.act(request=request, actor=org["manager"], operation="approve")
    with pytest.raises(approvals.ApprovalError):  # nor can it be passed to him
        approvals.act(request=request, actor=org["gm"], operation="transfer", target=org["manager"], opinion="x")


def test_four_eyes_the_departments_approver_does_not_give_the_ops_approval(org):
    # Owned by operations: its head approves for the department; the ops stage asks another member.
    version = make_draft(actor=org["admin"], owning_department=org["ops_dept"])
    services.version_submit(version=version, actor=org["admin"])
    request = services.approval_of(version)
    assert decide(version) == org["ops_head"]
    assert list(Task.objects.filter(request=request, status="pending").values_list("assignee", flat=True)) == [
        org["ops"].pk
    ]
    assert request.events.filter(operation=Event.Operation.SKIP, target=org["ops_head"]).exists()
    assert decide(version) == org["ops"]
    version.refresh_from_db()
    assert version.status in (S.SCHEDULED, S.PUBLISHED)


def test_four_eyes_when_the_only_ops_member_left_already_approved_the_next_one_up_decides(org):
    # Written by ops, owned by operations: the ops head approves as head; the ops pool without
    # the author and him is empty: the stage goes to the next person up (four eyes).
    version = make_draft(actor=org["ops"], owning_department=org["ops_dept"])
    services.version_submit(version=version, actor=org["ops"])
    assert decide(version) == org["ops_head"]
    request = services.approval_of(version)
    waiting = list(Task.objects.filter(request=request, status="pending").values_list("assignee__username", flat=True))
    assert waiting == ["gm"]
