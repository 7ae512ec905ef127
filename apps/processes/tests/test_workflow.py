"""The approval machine, table-driven: state × action × role."""

import pytest

from apps.notifications.models import Notification

from .. import services
from ..models import ChangeRequest, ChangeRequestEvent
from .factories import change_request, published_process

pytestmark = pytest.mark.django_db
S = ChangeRequest.Status
ROLES = ("staff", "manager", "ops", "gm", "outsider", "admin")
ACTIONS = ("submit", "approve", "reject", "return", "withdraw")

# (state, action, role) -> new state. Everything not listed is refused.
ALLOWED = {
    (S.DRAFT, "submit", "staff"): S.PENDING_HEAD,
    (S.DRAFT, "withdraw", "staff"): S.WITHDRAWN,
    (S.RETURNED, "submit", "staff"): S.PENDING_HEAD,
    (S.RETURNED, "withdraw", "staff"): S.WITHDRAWN,
    (S.PENDING_HEAD, "approve", "manager"): S.PENDING_OPS,
    (S.PENDING_HEAD, "reject", "manager"): S.REJECTED,
    (S.PENDING_HEAD, "return", "manager"): S.RETURNED,
    (S.PENDING_HEAD, "withdraw", "staff"): S.WITHDRAWN,
    (S.PENDING_OPS, "approve", "ops"): S.PENDING_GM,
    (S.PENDING_OPS, "reject", "ops"): S.REJECTED,
    (S.PENDING_OPS, "return", "ops"): S.RETURNED,
    (S.PENDING_OPS, "withdraw", "staff"): S.WITHDRAWN,
    (S.PENDING_GM, "approve", "gm"): S.APPROVED,
    (S.PENDING_GM, "reject", "gm"): S.REJECTED,
    (S.PENDING_GM, "return", "gm"): S.RETURNED,
    (S.PENDING_GM, "withdraw", "staff"): S.WITHDRAWN,
}


def act(cr, user, action, comment="理由"):
    return services.change_request_transition(cr=cr, user=user, action=action, comment=comment)


def bring_to(state, org, process):
    """A major request (so the chain has all three stages) in `state`, proposed by staff."""
    cr = change_request(process, org["staff"], marked_major=True)
    path = {
        S.DRAFT: [],
        S.PENDING_HEAD: [("staff", "submit")],
        S.PENDING_OPS: [("staff", "submit"), ("manager", "approve")],
        S.PENDING_GM: [("staff", "submit"), ("manager", "approve"), ("ops", "approve")],
        S.RETURNED: [("staff", "submit"), ("manager", "return")],
        S.APPROVED: [("staff", "submit"), ("manager", "approve"), ("ops", "approve"), ("gm", "approve")],
        S.REJECTED: [("staff", "submit"), ("manager", "reject")],
        S.WITHDRAWN: [("staff", "withdraw")],
    }[state]
    for role, action in path:
        cr = act(cr, org[role], action)
    assert cr.status == state
    return cr


@pytest.mark.parametrize("state", list(S.values))
@pytest.mark.parametrize("action", ACTIONS)
def test_the_transition_table_decides_who_may_do_what(org, state, action):
    for role in ROLES:
        cr = bring_to(state, org, published_process(org["sales_dept"]))
        expected = ALLOWED.get((state, action, role))
        if expected is None:
            with pytest.raises(services.WorkflowError):
                act(cr, org[role], action)
            cr.refresh_from_db()
            assert cr.status == state, (state, action, role)
        else:
            assert act(cr, org[role], action).status == expected, (state, action, role)
        cr.delete()


def test_nobody_approves_their_own_request_even_as_the_stage_approver(org, sales_process):
    # The head proposes for his own department: the head stage is skipped, recorded.
    cr = change_request(sales_process, org["manager"], submit=True)
    assert cr.status == S.PENDING_OPS
    skip = cr.events.get(action=ChangeRequestEvent.Action.SKIP)
    assert skip.from_status == S.PENDING_HEAD and skip.on_behalf_of == org["manager"]
    with pytest.raises(services.NotAllowed):
        act(cr, org["manager"], "approve")


def test_an_ops_proposer_cannot_approve_at_the_ops_stage(org, sales_process, english):
    cr = change_request(sales_process, org["ops"], submit=True)
    cr = act(cr, org["manager"], "approve")
    assert cr.status == S.PENDING_OPS
    with pytest.raises(services.NotAllowed, match="own request"):
        act(cr, org["ops"], "approve")
    assert act(cr, org["ops_head"], "approve").status == S.APPROVED


def test_a_minor_change_is_published_after_ops(org, sales_process):
    cr = change_request(sales_process, org["staff"], submit=True)
    assert not cr.is_major
    cr = act(act(cr, org["manager"], "approve"), org["ops"], "approve")
    assert cr.status == S.APPROVED
    sales_process.refresh_from_db()
    assert sales_process.current_version.number == 2


def test_a_change_touching_another_department_goes_to_the_general_manager(org, sales_process, cross_steps):
    cr = change_request(sales_process, org["staff"], steps=cross_steps, submit=True)
    assert cr.touches_other_departments and cr.is_major
    cr = act(act(cr, org["manager"], "approve"), org["ops"], "approve")
    assert cr.status == S.PENDING_GM and cr.assignee == org["gm"]
    assert act(cr, org["gm"], "approve").status == S.APPROVED


def test_a_change_marked_major_goes_to_the_general_manager(org, sales_process):
    cr = change_request(sales_process, org["staff"], marked_major=True, submit=True)
    assert not cr.touches_other_departments
    cr = act(act(cr, org["manager"], "approve"), org["ops"], "approve")
    assert cr.status == S.PENDING_GM


def test_an_approver_who_is_also_the_next_approver_does_not_approve_twice(org):
    # ops_head heads the owning department and has the ops role: one approval covers both.
    process = published_process(org["ops_dept"], code="OPS-01")
    cr = change_request(process, org["outsider"], submit=True)
    assert cr.assignee == org["ops_head"]
    cr = act(cr, org["ops_head"], "approve")
    assert cr.status == S.APPROVED
    actions = list(cr.events.values_list("action", "from_status"))
    assert ("skip", S.PENDING_OPS) in actions
    assert [a for a, _ in actions].count("approve") == 1


def test_a_returned_request_restarts_the_chain_when_resubmitted(org, sales_process):
    cr = change_request(sales_process, org["staff"], submit=True)
    cr = act(act(cr, org["manager"], "approve"), org["ops"], "return", "请补充时限")
    assert cr.status == S.RETURNED and cr.assignee is None
    assert Notification.objects.filter(recipient=org["staff"], kind="processes.return").exists()
    steps = list(cr.proposed_steps)
    steps[0] = {**steps[0], "time_limit_hours": 8}
    cr = services.change_request_update(cr=cr, user=org["staff"], expected_revision=cr.revision, steps=steps)
    cr = act(cr, org["staff"], "submit")
    assert cr.status == S.PENDING_HEAD and cr.assignee == org["manager"]
    # The head approved in the previous round; that does not count for this one.
    cr = act(cr, org["manager"], "approve")
    assert cr.status == S.PENDING_OPS


def test_rejecting_or_returning_needs_a_comment(org, sales_process):
    cr = change_request(sales_process, org["staff"], submit=True)
    with pytest.raises(services.NotAllowed):
        act(cr, org["manager"], "reject", comment=" ")


def test_a_delegate_decides_on_behalf_of_the_approver(org, sales_process):
    from django.utils import timezone

    today = timezone.localdate()
    services.delegation_create(principal=org["manager"], delegate=org["outsider"], start_date=today, end_date=today)
    cr = change_request(sales_process, org["staff"], submit=True)
    assert (cr.assignee, cr.assignee_principal) == (org["outsider"], org["manager"])
    cr = act(cr, org["outsider"], "approve")
    event = cr.events.get(action="approve")
    assert (event.actor, event.on_behalf_of) == (org["outsider"], org["manager"])


def test_a_delegation_outside_its_dates_does_not_apply(org, sales_process):
    import datetime

    from django.utils import timezone

    later = timezone.localdate() + datetime.timedelta(days=10)
    services.delegation_create(
        principal=org["manager"],
        delegate=org["outsider"],
        start_date=later,
        end_date=later + datetime.timedelta(days=3),
    )
    cr = change_request(sales_process, org["staff"], submit=True)
    assert cr.assignee == org["manager"] and cr.assignee_principal is None


def test_a_decision_on_an_older_submission_is_refused(org, sales_process, english):
    cr = change_request(sales_process, org["staff"], submit=True)
    opened_revision = cr.revision
    # Meanwhile: the head returns it, the proposer edits and resubmits.
    cr = act(cr, org["manager"], "return", "补充")
    cr = services.change_request_update(cr=cr, user=org["staff"], expected_revision=cr.revision, reason="新理由")
    cr = act(cr, org["staff"], "submit")
    with pytest.raises(services.StaleDecision, match="resubmitted"):
        services.change_request_transition(
            cr=cr,
            user=org["manager"],
            action="approve",
            expected_revision=opened_revision,
            expected_status=S.PENDING_HEAD,
        )
    cr.refresh_from_db()
    assert cr.status == S.PENDING_HEAD


def test_a_decision_on_a_request_decided_meanwhile_names_who_decided(org, sales_process, english):
    cr = change_request(sales_process, org["staff"], submit=True)
    cr = act(cr, org["manager"], "approve")
    seen = cr.revision
    act(cr, org["ops"], "approve")
    with pytest.raises(services.AlreadyDecided, match=org["ops"].name):
        services.change_request_transition(
            cr=cr,
            user=org["ops_head"],
            action="reject",
            comment="不行",
            expected_revision=seen,
            expected_status=S.PENDING_OPS,
        )


def test_final_approval_publishes_a_version_and_notifies(org, sales_process, cross_steps):
    cr = change_request(sales_process, org["staff"], steps=cross_steps, submit=True)
    for who in ("manager", "ops", "gm"):
        cr = act(cr, org[who], "approve")
    sales_process.refresh_from_db()
    version = sales_process.current_version
    assert version.number == 2 and version.change_request == cr and version.published_by == org["gm"]
    assert [s.key for s in version.steps.order_by("order")] == ["s1", "s2", "s9", "s3"]
    assert version.steps.get(key="s9").links_out.get().to_step.key == "s3"
    assert cr.closed_at is not None
    assert set(Notification.objects.filter(kind="processes.published").values_list("recipient", flat=True)) == {
        org["staff"].pk,
        org["manager"].pk,
    }
    assert cr.events.last().action == "publish"


def test_publication_is_atomic_a_failure_half_way_keeps_the_old_version(org, sales_process, monkeypatch):
    from .. import steps as steplib

    old_version = sales_process.current_version
    cr = change_request(sales_process, org["staff"], submit=True)
    cr = act(cr, org["manager"], "approve")
    real = steplib.materialise

    def broken(version, steps):
        real(version, steps[:1])  # some rows written, then the failure
        raise RuntimeError("disk full")

    monkeypatch.setattr(steplib, "materialise", broken)
    with pytest.raises(RuntimeError):
        act(cr, org["ops"], "approve")
    sales_process.refresh_from_db()
    cr.refresh_from_db()
    assert sales_process.current_version == old_version
    assert sales_process.versions.count() == 1
    assert cr.status == S.PENDING_OPS
    assert not cr.events.filter(action="approve", actor=org["ops"]).exists()


def test_final_approval_is_refused_when_another_change_was_published_meanwhile(org, sales_process):
    first = change_request(sales_process, org["staff"], submit=True)
    second = change_request(sales_process, org["staff"], submit=True)
    for cr in (first, second):
        act(cr, org["manager"], "approve")
    act(first, org["ops"], "approve")
    with pytest.raises(services.StaleDecision):
        act(second, org["ops"], "approve")
    second.refresh_from_db()
    assert second.status == S.PENDING_OPS


def test_the_proposer_may_withdraw_before_the_final_decision_only(org, sales_process):
    cr = bring_to(S.APPROVED, org, sales_process)
    with pytest.raises(services.NotAllowed):
        act(cr, org["staff"], "withdraw")


def test_submitting_notifies_the_head_and_reaching_ops_notifies_the_ops_pool(org, sales_process):
    cr = change_request(sales_process, org["staff"], submit=True)
    assert Notification.objects.filter(recipient=org["manager"], kind="processes.approval_required").count() == 1
    act(cr, org["manager"], "approve")
    notified = set(
        Notification.objects.filter(kind="processes.approval_required")
        .exclude(recipient=org["manager"])
        .values_list("recipient", flat=True)
    )
    assert notified == {org["ops"].pk, org["ops_head"].pk}


def test_a_major_change_proposed_by_the_general_manager_skips_his_own_stage(org, sales_process):
    cr = change_request(sales_process, org["gm"], marked_major=True, submit=True)
    cr = act(act(cr, org["manager"], "approve"), org["ops"], "approve")
    assert cr.status == S.APPROVED
    skip = cr.events.get(action="skip")
    assert skip.from_status == S.PENDING_GM and skip.on_behalf_of == org["gm"]


def test_a_department_without_head_is_approved_by_the_nearest_ancestor_head(org):
    from apps.departments.tests.factories import DepartmentFactory

    team = DepartmentFactory(parent=org["sales_dept"])
    process = published_process(team)
    cr = change_request(process, org["staff"], submit=True)
    assert cr.assignee == org["manager"]
