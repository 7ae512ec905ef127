"""Table-driven tests of the engine: every operation in every stage mode, and the rules."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.notifications.models import Notification

from .. import services
from ..models import Event, Request, Stage, Task
from .conftest import user

R, S, T, Op = Request.Status, Stage.Status, Task.Status, Event.Operation
pytestmark = pytest.mark.django_db


def pending(req):
    return sorted(Task.objects.filter(request=req, status=T.PENDING).values_list("assignee__username", flat=True))


def statuses(req):
    return {t.assignee.username: t.status for t in Task.objects.filter(request=req).select_related("assignee")}


def act(req, who, operation, **kw):
    kw.setdefault("opinion", "意见")
    return services.act(request=req, actor=who, operation=operation, **kw)


# mode -> operation by the first approver ("manager"; the other is "opshead") -> expected
# (request status, pending approvers, task statuses to check)
TABLE = [
    ("seq", "approve", R.PENDING, ["opshead"], {"manager": T.APPROVED}),
    ("all", "approve", R.PENDING, ["opshead"], {"manager": T.APPROVED}),
    ("any", "approve", R.APPROVED, [], {"manager": T.APPROVED, "opshead": T.CANCELLED}),
    ("seq", "reject", R.REJECTED, [], {"manager": T.REJECTED, "opshead": T.CANCELLED}),
    ("all", "reject", R.REJECTED, [], {"manager": T.REJECTED, "opshead": T.CANCELLED}),
    ("any", "reject", R.REJECTED, [], {"manager": T.REJECTED, "opshead": T.CANCELLED}),
    ("seq", "return", R.RETURNED, [], {"manager": T.RETURNED, "opshead": T.CANCELLED}),
    ("all", "return", R.RETURNED, [], {"manager": T.RETURNED, "opshead": T.CANCELLED}),
    ("any", "return", R.RETURNED, [], {"manager": T.RETURNED, "opshead": T.CANCELLED}),
    ("seq", "transfer", R.PENDING, ["hr"], {"manager": T.TRANSFERRED, "opshead": T.QUEUED}),
    ("all", "transfer", R.PENDING, ["hr", "opshead"], {"manager": T.TRANSFERRED}),
    ("any", "transfer", R.PENDING, ["hr", "opshead"], {"manager": T.TRANSFERRED}),
    ("seq", "add_before", R.PENDING, ["hr"], {"manager": T.QUEUED, "opshead": T.QUEUED}),
    ("all", "add_before", R.PENDING, ["hr", "opshead"], {"manager": T.QUEUED}),
    ("any", "add_before", R.PENDING, ["hr", "opshead"], {"manager": T.QUEUED}),
    ("seq", "add_after", R.PENDING, ["manager"], {"hr": T.QUEUED, "opshead": T.QUEUED}),
    ("all", "add_after", R.PENDING, ["manager", "opshead"], {"hr": T.QUEUED}),
    ("any", "add_after", R.PENDING, ["manager", "opshead"], {"hr": T.QUEUED}),
    ("seq", "comment", R.PENDING, ["manager"], {}),
    ("all", "comment", R.PENDING, ["manager", "opshead"], {}),
    ("any", "comment", R.PENDING, ["manager", "opshead"], {}),
]
PROPOSER_TABLE = [
    (mode, op, expected)
    for mode in ("seq", "all", "any", "cc")
    for op, expected in (("withdraw", R.WITHDRAWN), ("urge", R.PENDING), ("comment", R.PENDING))
]


@pytest.mark.parametrize(("mode", "operation", "status", "waiting", "tasks"), TABLE)
def test_operation_by_approver_in_each_mode(org, use_flow, propose, mode, operation, status, waiting, tasks):
    use_flow([{"name": "审批", "mode": mode, "approvers": [user(org["manager"]), user(org["ops_head"])]}])
    req = propose()
    target = org["hr"] if operation in ("transfer", "add_before", "add_after") else None
    req = act(req, org["manager"], operation, target=target, seen_version=req.version)
    assert req.status == status
    assert pending(req) == sorted(waiting)
    assert {k: v for k, v in statuses(req).items() if k in tasks} == tasks
    assert req.events.filter(operation=operation, actor=org["manager"]).count() == 1


@pytest.mark.parametrize(("mode", "operation", "status"), PROPOSER_TABLE)
def test_operation_by_proposer_in_each_mode(org, use_flow, propose, mode, operation, status):
    use_flow(
        [
            {"name": "审批", "mode": mode, "approvers": [user(org["manager"]), user(org["ops_head"])]},
            {"name": "总经理", "mode": "seq", "approvers": [{"type": "gm"}]},
        ]
    )
    req = propose()
    req = act(req, org["staff"], operation)
    assert req.status == status
    assert req.events.filter(operation=operation, actor=org["staff"]).count() == 1
    if operation == "withdraw":
        assert not Task.objects.filter(request=req, status__in=(T.PENDING, T.QUEUED)).exists()


@pytest.mark.parametrize("operation", ["approve", "reject", "return", "transfer", "add_before", "add_after"])
def test_people_without_a_task_cannot_decide(org, use_flow, propose, operation):
    use_flow([{"name": "审批", "mode": "any", "approvers": [user(org["manager"])]}])
    req = propose()
    for who in ("staff", "ops_head", "outsider"):
        with pytest.raises(services.ApprovalError):
            act(req, org[who], operation, target=org["hr"])
    assert Request.objects.get(pk=req.pk).status == R.PENDING


@pytest.mark.parametrize("operation", ["withdraw", "urge"])
def test_only_the_proposer_withdraws_or_urges(org, use_flow, propose, operation):
    use_flow([{"name": "审批", "mode": "seq", "approvers": [user(org["manager"])]}])
    req = propose()
    with pytest.raises(services.ApprovalError):
        act(req, org["manager"], operation)


@pytest.mark.parametrize("operation", ["reject", "return"])
def test_reject_and_return_need_an_opinion(org, use_flow, propose, operation):
    use_flow([{"name": "审批", "mode": "seq", "approvers": [user(org["manager"])]}])
    req = propose()
    with pytest.raises(services.ApprovalError, match="opinion|意见"):
        act(req, org["manager"], operation, opinion="  ")
    assert pending(req) == ["manager"]


def test_countersign_with_one_rejection_rejects_and_closes_the_others(org, use_flow, propose, memo_kind):
    use_flow([{"name": "会签", "mode": "all", "approvers": [user(org[u]) for u in ("manager", "ops_head", "hr")]}])
    req = propose()
    act(req, org["manager"], "approve")
    req = act(req, org["ops_head"], "reject", opinion="不同意")
    assert req.status == R.REJECTED
    assert statuses(req) == {"manager": T.APPROVED, "opshead": T.REJECTED, "hr": T.CANCELLED}
    assert memo_kind.calls == [("rejected", req.object_id)]


def test_countersign_needs_everyone(org, use_flow, propose, memo_kind):
    use_flow([{"name": "会签", "mode": "all", "approvers": [user(org[u]) for u in ("manager", "ops_head", "hr")]}])
    req = propose()
    for who in ("hr", "manager"):
        req = act(req, org[who], "approve")
        assert req.status == R.PENDING and memo_kind.calls == []
    req = act(req, org["ops_head"], "approve")
    assert req.status == R.APPROVED and memo_kind.calls == [("approved", req.object_id)]


def test_sequential_asks_one_after_the_other(org, use_flow, propose):
    use_flow([{"name": "依次", "mode": "seq", "approvers": [user(org["manager"]), user(org["ops_head"])]}])
    req = propose()
    assert pending(req) == ["manager"]
    with pytest.raises(services.ApprovalError):
        act(req, org["ops_head"], "approve")
    req = act(req, org["manager"], "approve")
    assert pending(req) == ["opshead"]
    assert act(req, org["ops_head"], "approve").status == R.APPROVED


def test_copy_stage_notifies_without_asking(org, use_flow, propose):
    use_flow(
        [
            {"name": "抄送", "mode": "cc", "approvers": [user(org["hr"])]},
            {"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]},
        ]
    )
    req = propose()
    assert statuses(req) == {"hr": T.COPY, "manager": T.PENDING}
    assert Notification.objects.filter(recipient=org["hr"], kind="approvals.copy").count() == 1
    assert act(req, org["manager"], "approve").status == R.APPROVED


def test_transfer_then_return_then_resubmit_starts_again(org, use_flow, propose, memo_kind):
    use_flow(
        [
            {"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]},
            {"name": "运营", "mode": "seq", "approvers": [user(org["ops_head"])]},
        ]
    )
    req = propose()
    req = act(req, org["manager"], "approve")
    req = act(req, org["ops_head"], "transfer", target=org["ops"])
    assert pending(req) == ["ops"]
    req = act(req, org["ops"], "return", opinion="补充材料")
    assert req.status == R.RETURNED and memo_kind.calls == [("returned", req.object_id)]
    obj = memo_kind.kind().get_object(req.object_id)
    req = services.submit(kind="test.memo", obj=obj, proposer=org["staff"], title=req.title)
    assert req.status == R.PENDING and req.submission == 2
    assert pending(req) == ["manager"]  # a new submission: the head approves again


def test_return_to_an_earlier_stage_asks_its_approvers_again(org, use_flow, propose):
    use_flow(
        [
            {"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]},
            {"name": "运营", "mode": "seq", "approvers": [user(org["ops_head"])]},
            {"name": "总经理", "mode": "seq", "approvers": [{"type": "gm"}, user(org["manager"])]},
        ]
    )
    req = propose()
    req = act(req, org["manager"], "approve")
    req = act(req, org["ops_head"], "approve")
    # manager already approved this submission: skipped in the last stage, recorded.
    assert req.events.filter(operation=Op.SKIP, target=org["manager"]).count() == 1
    req = act(req, org["gm"], "return", opinion="请负责人复核", to_stage=0)
    assert req.status == R.PENDING and pending(req) == ["manager"]
    req = act(req, org["manager"], "approve")
    req = act(req, org["ops_head"], "approve")
    assert pending(req) == ["gm"]


def test_return_cannot_go_forward(org, use_flow, propose):
    use_flow([{"name": "a", "mode": "seq", "approvers": [user(org["manager"])]}])
    req = propose()
    with pytest.raises(services.ApprovalError):
        act(req, org["manager"], "return", to_stage=0)


def test_add_signer_before_and_after(org, use_flow, propose):
    use_flow([{"name": "审批", "mode": "seq", "approvers": [user(org["manager"])]}])
    req = propose()
    req = act(req, org["manager"], "add_before", target=org["hr"])
    assert pending(req) == ["hr"]
    req = act(req, org["hr"], "approve")
    assert pending(req) == ["manager"]
    req = act(req, org["manager"], "add_after", target=org["ops_head"])
    req = act(req, org["manager"], "approve")
    assert req.status == R.PENDING and pending(req) == ["opshead"]
    assert act(req, org["ops_head"], "approve").status == R.APPROVED


def test_add_after_in_any_mode_survives_the_decision(org, use_flow, propose):
    use_flow([{"name": "或签", "mode": "any", "approvers": [user(org["manager"]), user(org["gm"])]}])
    req = propose()
    act(req, org["manager"], "add_after", target=org["hr"])
    req = act(req, org["manager"], "approve")
    assert statuses(req)["gm"] == T.CANCELLED and pending(req) == ["hr"]


def test_withdraw_after_one_approval(org, use_flow, propose, memo_kind):
    use_flow(
        [
            {"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]},
            {"name": "总经理", "mode": "seq", "approvers": [{"type": "gm"}]},
        ]
    )
    req = propose()
    req = act(req, org["manager"], "approve")
    req = act(req, org["staff"], "withdraw", opinion="不需要了")
    assert req.status == R.WITHDRAWN and statuses(req)["gm"] == T.CANCELLED
    assert memo_kind.calls == [("withdrawn", req.object_id)]
    with pytest.raises(services.ApprovalError):
        act(req, org["gm"], "approve")


def test_urge_once_a_day_per_stage(org, use_flow, propose):
    use_flow([{"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]}])
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)):
        req = propose()
        act(req, org["staff"], "urge", opinion="请尽快")
        with pytest.raises(services.ApprovalError, match="today|今天"):
            act(req, org["staff"], "urge")
    with time_machine.travel(datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.UTC)):
        act(req, org["staff"], "urge")
    assert Notification.objects.filter(recipient=org["manager"], kind="approvals.urge").count() == 2


def test_comment_with_attachment(org, use_flow, propose):
    use_flow([{"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]}])
    req = propose()
    files = [SimpleUploadedFile("报价单.pdf", b"%PDF-1.4 test")]
    act(req, org["manager"], "comment", opinion="见附件", files=files)
    event = req.events.get(operation=Op.COMMENT)
    assert event.attachments.get().name == "报价单.pdf"
    with pytest.raises(services.ApprovalError):
        act(req, org["manager"], "comment", opinion="")


def test_self_approval_goes_to_the_next_person_up(org, use_flow, propose):
    use_flow([{"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]}])
    req = propose(proposer=org["manager"])  # the head of 销售部 proposes
    assert pending(req) == ["gm"]
    sub = req.events.get(operation=Op.SUBSTITUTE)
    assert sub.on_behalf_of == org["manager"] and sub.target == org["gm"]
    with pytest.raises(services.ApprovalError):
        act(req, org["manager"], "approve")


def test_named_approver_who_proposes_is_replaced(org, use_flow, propose):
    use_flow([{"name": "指定", "mode": "seq", "approvers": [user(org["ops"])]}])
    req = propose(proposer=org["ops"])
    assert pending(req) == ["opshead"]


def test_role_pool_leaves_out_the_proposer(org, use_flow, propose):
    use_flow([{"name": "运营", "mode": "any", "approvers": [{"type": "role", "role": "ops"}]}])
    req = propose(proposer=org["ops"])
    assert pending(req) == ["opshead"]


def test_a_pool_of_only_barred_people_goes_up_instead_of_being_skipped(org, use_flow, propose):
    from django.contrib.auth.models import Group

    org["ops_head"].groups.remove(Group.objects.get(name="ops"))  # the proposer is the only ops member
    use_flow([{"name": "运营", "mode": "any", "approvers": [{"type": "role", "role": "ops"}]}])
    req = propose(proposer=org["ops"])
    assert pending(req) == ["opshead"]
    sub = req.events.get(operation=Op.SUBSTITUTE)
    assert sub.on_behalf_of == org["ops"] and sub.target == org["ops_head"]


def test_transfer_to_the_proposer_is_refused(org, use_flow, propose):
    use_flow([{"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]}])
    req = propose()
    with pytest.raises(services.ApprovalError):
        act(req, org["manager"], "transfer", target=org["staff"])


def test_approver_who_already_approved_is_skipped_and_recorded(org, use_flow, propose):
    use_flow(
        [
            {"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]},
            {"name": "归口部门", "mode": "seq", "approvers": [{"type": "owner_head"}]},
        ]
    )
    req = propose(owner=org["sales_dept"])
    req = act(req, org["manager"], "approve")
    assert req.status == R.APPROVED
    assert req.events.filter(operation=Op.SKIP, target=org["manager"]).exists()


def test_delegation_with_a_date_range(org, use_flow, propose):
    use_flow([{"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]}])
    services.delegation_create(
        principal=org["manager"],
        delegate=org["outsider"],
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 6),
    )
    with time_machine.travel(datetime.datetime(2026, 3, 4, 9, tzinfo=datetime.UTC)):
        req = propose()
        task = Task.objects.get(request=req, status=T.PENDING)
        assert (task.assignee, task.principal) == (org["outsider"], org["manager"])
        req = act(req, org["outsider"], "approve")
        assert req.events.get(operation=Op.APPROVE).on_behalf_of == org["manager"]
    with time_machine.travel(datetime.datetime(2026, 3, 9, 9, tzinfo=datetime.UTC)):
        assert pending(propose()) == ["manager"]


def test_delegation_for_another_kind_does_not_apply(org, use_flow, propose):
    from ..models import Delegation

    use_flow([{"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]}])
    Delegation.objects.create(
        principal=org["manager"],
        delegate=org["outsider"],
        kind="other.kind",
        start_date=datetime.date(2000, 1, 1),
        end_date=datetime.date(2100, 1, 1),
    )
    assert pending(propose()) == ["manager"]


def test_escalation_after_the_limit(org, use_flow, propose):
    from ..escalation import overdue_run

    use_flow([{"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}], "limit_days": 2}])
    monday = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    with time_machine.travel(monday):
        req = propose()
    tuesday = monday + datetime.timedelta(days=1)
    with time_machine.travel(tuesday):
        assert overdue_run(now=tuesday) == 0
    wednesday = monday + datetime.timedelta(days=2)
    with time_machine.travel(wednesday):
        assert overdue_run(now=wednesday) == 1
        assert overdue_run(now=wednesday) == 0  # once
    assert Notification.objects.filter(recipient=org["manager"], kind="approvals.reminder").count() == 1
    friday = monday + datetime.timedelta(days=4)
    with time_machine.travel(friday):
        assert overdue_run(now=friday) == 1
        assert overdue_run(now=friday) == 0
    assert statuses(req) == {"manager": T.ESCALATED, "gm": T.PENDING}
    # The escalated approver is no longer asked; the one it passed to is.
    still_waiting = Notification.objects.filter(
        subject_id=req.pk, resolved_at__isnull=True, kind__startswith="approvals."
    )
    assert sorted(still_waiting.values_list("recipient__username", flat=True)) == ["gm"]
    esc = req.events.get(operation=Op.ESCALATE)
    assert (esc.on_behalf_of, esc.target) == (org["manager"], org["gm"])
    assert act(req, org["gm"], "approve").status == R.APPROVED


@pytest.mark.parametrize(
    ("condition", "facts", "asks_gm"),
    [
        ({"type": "major"}, {"major": True}, True),
        ({"type": "major"}, {"major": False}, False),
        ({"type": "crosses"}, {"crosses": True}, True),
        ({"type": "crosses"}, {}, False),
        ({"type": "above", "field": "amount", "value": 100000}, {"amount": 150000}, True),
        ({"type": "above", "field": "amount", "value": 100000}, {"amount": 100000}, False),
        ({"type": "always"}, {}, True),
    ],
)
def test_stage_conditions(org, use_flow, propose, condition, facts, asks_gm):
    use_flow(
        [
            {"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]},
            {"name": "总经理", "mode": "seq", "approvers": [{"type": "gm"}], "condition": condition},
        ]
    )
    req = propose(facts=facts)
    req = act(req, org["manager"], "approve")
    assert (pending(req) == ["gm"]) is asks_gm
    assert (req.status == R.APPROVED) is not asks_gm


def test_head_n_levels_up(org, use_flow, propose, make_user):
    from apps.departments.tests.factories import DepartmentFactory

    team = DepartmentFactory(name="华东组", code="east", parent=org["sales_dept"])
    clerk = make_user(username="clerk", department=team, manager=org["manager"])
    use_flow([{"name": "上两级", "mode": "seq", "approvers": [{"type": "head_up", "levels": 1}]}])
    req = propose(proposer=clerk)  # 华东组 has no head: its head is 销售部's; one level up is the GM
    assert pending(req) == ["gm"]


def test_a_running_request_keeps_its_flow_version(org, use_flow, propose):
    use_flow([{"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]}])
    req = propose()
    use_flow(
        [
            {"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]},
            {"name": "总经理", "mode": "seq", "approvers": [{"type": "gm"}]},
        ]
    )
    assert act(req, org["manager"], "approve").status == R.APPROVED
    assert pending(propose()) == ["manager"]


def test_a_stale_page_records_nothing(org, use_flow, propose):
    use_flow([{"name": "或签", "mode": "any", "approvers": [user(org["manager"]), user(org["gm"])]}])
    req = propose()
    seen = req.version
    act(req, org["manager"], "approve", seen_version=seen)
    with pytest.raises(services.ApprovalError, match=org["manager"].name):
        act(req, org["gm"], "reject", opinion="不同意", seen_version=seen)
    assert Request.objects.get(pk=req.pk).status == R.APPROVED
