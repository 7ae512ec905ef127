"""The approval machine, table-driven: every state x every action x every role."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.policies import services
from apps.policies.models import HistoryAction, Policy, PolicyHistory, PolicyStatus, PolicyVersion
from apps.policies.models import VersionStatus as S

from .factories import make_draft, publish, regulation_text

STATES = [S.DRAFT, S.IN_REVIEW, S.OPS_REVIEW, S.SCHEDULED, S.PUBLISHED, S.SUPERSEDED, S.RETIRED]
ACTIONS = ["submit", "approve", "return", "publish", "retire"]
ROLES = ["staff", "manager", "ops", "admin", "hr", "gm", "outsider"]  # manager = head of the owning department

# (state, action) -> roles that may; a pair missing here is not a transition at all.
MAY = {
    (S.DRAFT, "submit"): {"manager", "ops", "admin"},
    (S.IN_REVIEW, "approve"): {"manager", "admin"},
    (S.IN_REVIEW, "return"): {"manager", "admin"},
    (S.OPS_REVIEW, "approve"): {"ops", "admin"},
    (S.OPS_REVIEW, "return"): {"ops", "admin"},
    (S.SCHEDULED, "publish"): set(),  # only the scheduled job (actor None)
    (S.PUBLISHED, "retire"): {"ops", "admin"},
}
TARGET = {
    (S.DRAFT, "submit"): S.IN_REVIEW,
    (S.IN_REVIEW, "approve"): S.OPS_REVIEW,
    (S.IN_REVIEW, "return"): S.DRAFT,
    (S.OPS_REVIEW, "approve"): S.SCHEDULED,
    (S.OPS_REVIEW, "return"): S.DRAFT,
    (S.PUBLISHED, "retire"): S.RETIRED,
}


def test_the_table_matches_the_machine():
    assert set(MAY) == set(services.TRANSITIONS)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_transition_table(org, state, action, role):
    future = date.today() + timedelta(days=30)  # keeps an approved version "scheduled"
    # Written by someone outside the table's roles: four eyes is tested on its own below.
    version = make_draft(actor=org["ops_head"], owning_department=org["sales_dept"], effective_date=future)
    PolicyVersion.objects.filter(pk=version.pk).update(status=state)
    user = org[role]
    history_before = PolicyHistory.objects.count()
    if (state, action) not in MAY:
        with pytest.raises(services.TransitionError):
            services.version_transition(version=version, action=action, actor=user, comment="c")
    elif role not in MAY[(state, action)]:
        with pytest.raises(PermissionDenied):
            services.version_transition(version=version, action=action, actor=user, comment="c")
    else:
        result = services.version_transition(version=version, action=action, actor=user, comment="c")
        assert result.status == TARGET[(state, action)]
        assert PolicyHistory.objects.filter(version=version, actor=user, comment="c").exists()
        return
    version.refresh_from_db()
    assert version.status == state, "a refused step changes nothing"
    assert PolicyHistory.objects.count() == history_before


def test_returning_a_draft_needs_a_comment(org):
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_transition(version=version, action="submit", actor=org["ops"])
    with pytest.raises(ValidationError):
        services.version_transition(version=version, action="return", actor=org["manager"], comment="  ")


def test_full_path_publishes_on_ops_approval_when_effective_date_has_come(org):
    version = make_draft(actor=org["ops_head"], owning_department=org["sales_dept"], effective_date=date(2020, 1, 1))
    version = publish(version, head=org["manager"], ops=org["ops"])
    policy = Policy.objects.get(pk=version.policy_id)
    assert version.status == S.PUBLISHED
    assert policy.current_version_id == version.pk and policy.status == PolicyStatus.PUBLISHED
    assert version.approved_by == org["ops"] and version.dept_approved_by == org["manager"]
    actions = list(PolicyHistory.objects.filter(policy=policy).order_by("at", "pk").values_list("action", flat=True))
    assert actions == [
        HistoryAction.CREATE,
        HistoryAction.DRAFT,
        HistoryAction.SUBMIT,
        HistoryAction.DEPT_APPROVE,
        HistoryAction.OPS_APPROVE,
        HistoryAction.PUBLISH,
    ]


def test_future_effective_date_waits_for_the_scheduled_job_which_is_idempotent(org):
    today = date(2026, 3, 1)
    first = publish(
        make_draft(actor=org["ops"], owning_department=org["sales_dept"], effective_date=date(2026, 1, 1)),
        head=org["manager"],
        ops=org["ops"],
        today=today,
    )
    policy = first.policy
    second = services.draft_create(
        policy=policy, actor=org["ops"], text=regulation_text(extra="新"), effective_date=date(2026, 4, 1)
    )
    second = publish(second, head=org["manager"], ops=org["ops"], today=today)
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
    services.version_transition(version=published, action="retire", actor=org["ops"], comment="业务已取消")
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
    # The head of the owning department wrote it: he cannot approve it; an administrator can.
    version = make_draft(actor=org["manager"], owning_department=org["sales_dept"])
    services.version_transition(version=version, action="submit", actor=org["manager"])
    with pytest.raises(PermissionDenied):
        services.version_transition(version=version, action="approve", actor=org["manager"])
    services.version_transition(version=version, action="approve", actor=org["admin"])
    # The administrator who gave the department approval cannot also give the operations one.
    with pytest.raises(PermissionDenied):
        services.version_transition(version=version, action="approve", actor=org["admin"])
    version = services.version_transition(version=version, action="approve", actor=org["ops"])
    assert version.status in (S.SCHEDULED, S.PUBLISHED)


def test_four_eyes_an_ops_author_does_not_give_the_ops_approval(org):
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_transition(version=version, action="submit", actor=org["ops"])
    services.version_transition(version=version, action="approve", actor=org["manager"])
    with pytest.raises(PermissionDenied):
        services.version_transition(version=version, action="approve", actor=org["ops"])
    version = services.version_transition(version=version, action="approve", actor=org["ops_head"])
    assert version.approved_by == org["ops_head"]
