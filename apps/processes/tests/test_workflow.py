"""Process change requests on the approvals engine: today's chain (owning department head →
operations management → the general manager when major) as the default flow, table-driven
over stage × role, and the module's own rules (publication, the stale-request refusal)."""

import datetime

import pytest
from django.utils import timezone

from apps.approvals import services as approvals
from apps.approvals.models import Event, Task
from apps.notifications.models import Notification

from .. import services
from ..models import ChangeRequest
from .factories import change_request, published_process

pytestmark = pytest.mark.django_db
S = ChangeRequest.Status
ROLES = ("staff", "manager", "ops", "ops_head", "gm", "outsider", "admin")


def act(cr, user, action, comment="理由"):
    return services.change_request_transition(cr=cr, user=user, action=action, comment=comment)


def approval(cr):
    return services.approval_of(cr)


def waiting(cr) -> set[str]:
    return set(
        Task.objects.filter(request=approval(cr), status=Task.Status.PENDING).values_list(
            "assignee__username", flat=True
        )
    )


def stage(cr) -> str:
    req = approval(cr)
    req.refresh_from_db()
    return req.current_stage.key if req.current_stage else ""


# stage -> who may approve it (everyone else is refused)
DECIDERS = {"head": {"manager"}, "ops": {"ops", "ops_head"}, "gm": {"gm"}}


def bring_to(key, org, process):
    cr = change_request(process, org["staff"], marked_major=True, submit=True)
    for who in {"head": [], "ops": ["manager"], "gm": ["manager", "ops"]}[key]:
        cr = act(cr, org[who], "approve")
    assert stage(cr) == key
    return cr


@pytest.mark.parametrize("key", list(DECIDERS))
@pytest.mark.parametrize("action", ["approve", "reject", "return"])
def test_who_decides_each_stage_of_the_default_flow(org, key, action):
    for role in ROLES:
        cr = bring_to(key, org, published_process(org["sales_dept"]))
        if role in DECIDERS[key]:
            cr = act(cr, org[role], action)
            expected = {"reject": S.REJECTED, "return": S.RETURNED}.get(
                action, S.PENDING if key != "gm" else S.APPROVED
            )
            assert cr.status == expected, (key, action, role)
        else:
            with pytest.raises(approvals.ApprovalError):
                act(cr, org[role], action)
            cr.refresh_from_db()
            assert cr.status == S.PENDING and stage(cr) == key, (key, action, role)


@pytest.mark.parametrize(
    ("state", "action", "role", "allowed"),
    [
        (S.DRAFT, "submit", "staff", True),
        (S.DRAFT, "submit", "manager", False),
        (S.DRAFT, "withdraw", "staff", True),
        (S.DRAFT, "withdraw", "manager", False),
        (S.PENDING, "withdraw", "staff", True),
        (S.PENDING, "submit", "staff", False),
    ],
)
def test_the_proposers_own_steps(org, sales_process, state, action, role, allowed):
    cr = change_request(sales_process, org["staff"], submit=state == S.PENDING)
    if allowed:
        assert act(cr, org[role], action).status == {"submit": S.PENDING, "withdraw": S.WITHDRAWN}[action]
    else:
        with pytest.raises(approvals.ApprovalError):
            act(cr, org[role], action)


def test_the_head_proposing_for_his_department_is_replaced_by_the_next_person_up(org, sales_process):
    cr = change_request(sales_process, org["manager"], submit=True)
    assert stage(cr) == "head" and waiting(cr) == {"gm"}
    sub = approval(cr).events.get(operation=Event.Operation.SUBSTITUTE)
    assert (sub.on_behalf_of, sub.target) == (org["manager"], org["gm"])
    with pytest.raises(approvals.ApprovalError):
        act(cr, org["manager"], "approve")


def test_an_ops_proposer_is_not_in_the_ops_pool(org, sales_process):
    cr = change_request(sales_process, org["ops"], submit=True)
    cr = act(cr, org["manager"], "approve")
    assert waiting(cr) == {"opshead"}
    with pytest.raises(approvals.ApprovalError):
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
    assert cr.status == S.PENDING and waiting(cr) == {"gm"}
    assert act(cr, org["gm"], "approve").status == S.APPROVED


def test_an_approver_who_is_also_the_next_approver_does_not_approve_twice(org):
    # ops_head heads the owning department and has the ops role: one approval covers both.
    process = published_process(org["ops_dept"], code="OPS-01")
    cr = change_request(process, org["outsider"], submit=True)
    assert waiting(cr) == {"opshead"}
    cr = act(cr, org["ops_head"], "approve")
    assert cr.status == S.APPROVED
    req = approval(cr)
    assert req.events.filter(operation="skip", target=org["ops_head"]).exists()
    assert req.events.filter(operation="approve").count() == 1


def test_a_returned_request_restarts_the_chain_when_resubmitted(org, sales_process):
    cr = change_request(sales_process, org["staff"], submit=True)
    cr = act(act(cr, org["manager"], "approve"), org["ops"], "return", "请补充时限")
    assert cr.status == S.RETURNED and waiting(cr) == set()
    assert Notification.objects.filter(recipient=org["staff"], kind="approvals.decided").exists()
    steps = list(cr.proposed_steps)
    steps[0] = {**steps[0], "time_limit_hours": 8}
    cr = services.change_request_update(cr=cr, user=org["staff"], expected_revision=cr.revision, steps=steps)
    assert approval(cr).events.filter(operation="edit", actor=org["staff"]).exists()
    cr = act(cr, org["staff"], "submit")
    assert cr.status == S.PENDING and waiting(cr) == {"manager"}
    assert approval(cr).submission == 2
    cr = act(cr, org["manager"], "approve")
    assert stage(cr) == "ops"


def test_a_delegate_decides_on_behalf_of_the_approver(org, sales_process):
    today = timezone.localdate()
    approvals.delegation_create(
        principal=org["manager"], delegate=org["outsider"], start_date=today, end_date=today, kind="processes.change"
    )
    cr = change_request(sales_process, org["staff"], submit=True)
    assert waiting(cr) == {"outsider"}
    cr = act(cr, org["outsider"], "approve")
    event = approval(cr).events.get(operation="approve")
    assert (event.actor, event.on_behalf_of) == (org["outsider"], org["manager"])


def test_a_decision_on_an_older_submission_is_refused(org, sales_process, english):
    cr = change_request(sales_process, org["staff"], submit=True)
    seen = approval(cr).version
    cr = act(cr, org["manager"], "return", "补充")
    cr = services.change_request_update(cr=cr, user=org["staff"], expected_revision=cr.revision, reason="新理由")
    cr = act(cr, org["staff"], "submit")
    with pytest.raises(approvals.ApprovalError, match="not recorded"):
        approvals.act(request=approval(cr), actor=org["manager"], operation="approve", seen_version=seen)
    assert waiting(cr) == {"manager"}


def test_final_approval_publishes_a_version_and_notifies(org, sales_process, cross_steps):
    cr = change_request(sales_process, org["staff"], steps=cross_steps, submit=True)
    for who in ("manager", "ops", "gm"):
        cr = act(cr, org[who], "approve")
    sales_process.refresh_from_db()
    version = sales_process.current_version
    assert version.number == 2 and version.change_request == cr and version.published_by == org["gm"]
    assert [s.key for s in version.steps.order_by("order")] == ["s1", "s2", "s9", "s3"]
    assert cr.closed_at is not None
    assert set(Notification.objects.filter(kind="processes.published").values_list("recipient", flat=True)) == {
        org["staff"].pk,
        org["manager"].pk,
    }
    assert approval(cr).events.last().operation == "finish"


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
    assert sales_process.current_version == old_version and sales_process.versions.count() == 1
    assert cr.status == S.PENDING and stage(cr) == "ops"
    assert not approval(cr).events.filter(operation="approve", actor=org["ops"]).exists()


def test_final_approval_is_refused_when_another_change_was_published_meanwhile(org, sales_process, english):
    first = change_request(sales_process, org["staff"], submit=True)
    second = change_request(sales_process, org["staff"], submit=True)
    for cr in (first, second):
        act(cr, org["manager"], "approve")
    act(first, org["ops"], "approve")
    with pytest.raises(services.StaleDecision, match="Another change"):
        act(second, org["ops"], "approve")
    second.refresh_from_db()
    assert second.status == S.PENDING and stage(second) == "ops"
    # Returning it (the way out the message names) works.
    assert act(second, org["ops"], "return", "请按当前版本核对").status == S.RETURNED


def test_the_proposer_may_withdraw_before_the_final_decision_only(org, sales_process):
    cr = change_request(sales_process, org["staff"], submit=True)
    cr = act(act(cr, org["manager"], "approve"), org["ops"], "approve")
    with pytest.raises(approvals.ApprovalError):
        act(cr, org["staff"], "withdraw")


def test_withdraw_after_one_approval(org, sales_process):
    cr = change_request(sales_process, org["staff"], submit=True)
    cr = act(act(cr, org["manager"], "approve"), org["staff"], "withdraw")
    assert cr.status == S.WITHDRAWN and waiting(cr) == set()


def test_submitting_asks_the_head_and_reaching_ops_asks_the_ops_pool(org, sales_process):
    cr = change_request(sales_process, org["staff"], submit=True)
    assert Notification.objects.filter(recipient=org["manager"], kind="approvals.task").count() == 1
    act(cr, org["manager"], "approve")
    notified = set(
        Notification.objects.filter(kind="approvals.task")
        .exclude(recipient=org["manager"])
        .values_list("recipient", flat=True)
    )
    assert notified == {org["ops"].pk, org["ops_head"].pk}


def test_a_major_change_proposed_by_the_general_manager_leaves_his_own_stage_out(org, sales_process):
    cr = change_request(sales_process, org["gm"], marked_major=True, submit=True)
    cr = act(act(cr, org["manager"], "approve"), org["ops"], "approve")
    assert cr.status == S.APPROVED
    assert approval(cr).events.filter(operation="substitute", on_behalf_of=org["gm"]).exists()


def test_a_department_without_head_is_approved_by_the_nearest_ancestor_head(org):
    from apps.departments.tests.factories import DepartmentFactory

    team = DepartmentFactory(parent=org["sales_dept"])
    cr = change_request(published_process(team), org["staff"], submit=True)
    assert waiting(cr) == {"manager"}


def test_waiting_past_the_limit_reminds_then_escalates(org, sales_process):
    from apps.approvals.escalation import overdue_run

    monday = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    import time_machine

    with time_machine.travel(monday):
        cr = change_request(sales_process, org["staff"], submit=True)
    for day, expected in ((3, 1), (6, 1)):  # 3 working days: remind; 6: the manager's manager
        moment = monday + datetime.timedelta(days=day if day < 5 else day + 2)
        with time_machine.travel(moment):
            assert overdue_run(now=moment) == expected
    assert waiting(cr) == {"gm"}
