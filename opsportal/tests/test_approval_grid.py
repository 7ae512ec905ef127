"""The approvals engine's full grid: every operation × every stage mode × every kind a module
registers (issue 12). Each kind's request is started through its own module's service (so its
callbacks run against real objects), its flow is replaced by one stage of the mode under test
with two named approvers, and then one operation is applied. The expected engine outcome is
the same for every kind; the module's own mirror (the draft's, plan's, risk's status…) must
follow the decision. Cross-app, so it lives here (engines never import a module).

Rules per kind (self-approval, four eyes) are at the end."""

import datetime
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
import time_machine

from apps.approvals import flows
from apps.approvals import services as approvals
from apps.approvals.models import Event, Request, Task
from apps.approvals.registry import kind_for, kinds

R, T = Request.Status, Task.Status
pytestmark = pytest.mark.django_db

# Approvers of the stage under test, the person operations pass work to: never a proposer below.
FIRST, SECOND, TARGET = "gm", "admin", "outsider"


@pytest.fixture(autouse=True)
def _pinned_day():
    with time_machine.travel("2026-11-18 10:00 +0800", tick=False):  # a Wednesday, a working day
        yield


# --- one starter per kind: (request, proposer, the domain object's mirror of the decision) -------


def _policy(org):
    from apps.policies import services
    from apps.policies.tests.factories import make_draft

    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_submit(version=version, actor=org["ops"])
    return services.approval_of(version), org["ops"], lambda: type(version).objects.get(pk=version.pk).status


def _minutes(org):
    from apps.meetings import services
    from apps.meetings.models import MeetingType

    meeting = services.meeting_create(
        actor=org["manager"],
        title="销售部周例会",
        type=MeetingType.DEPARTMENT,
        organiser=org["manager"],
        department=org["sales_dept"],
        date=date(2026, 11, 16),
        start_time=time(9, 30),
        confidential=False,
        attendees=[org["staff"], org["gm"], org["admin"]],
        confirm_days=3,
    )
    services.minutes_save(actor=org["manager"], meeting=meeting, summary="纪要", notes={}, attendance={})
    version = services.minutes_request_confirmation(actor=org["manager"], meeting=meeting)
    return services.confirmation_of(version), org["manager"], lambda: type(version).objects.get(pk=version.pk).status


def _process_change(org):
    from apps.processes import services
    from apps.processes.tests.factories import change_request, published_process

    process = published_process(org["sales_dept"])
    cr = change_request(process, org["staff"], submit=True)
    return services.approval_of(cr), org["staff"], lambda: type(cr).objects.get(pk=cr.pk).status


def _objection(org):
    from apps.appraisals import services
    from apps.appraisals.defaults import ensure_default_template
    from apps.appraisals.opening import appraisal_cycle_open, previous_quarter_code
    from apps.appraisals.tests.helpers import appraisal_of, publish, review_all

    today = date(2026, 11, 18)
    ensure_default_template()
    cycle, _n = appraisal_cycle_open(
        code=previous_quarter_code(today),
        today=today,
        notify=False,
        self_deadline=today + timedelta(days=5),
        review_deadline=today + timedelta(days=10),
        calibration_deadline=today + timedelta(days=15),
        close_date=today + timedelta(days=30),
    )
    review_all(cycle)
    publish(cycle, org["hr"])
    a = services.appraisal_object(appraisal=appraisal_of(cycle, org["staff"]), actor=org["staff"], reason="评分偏低")
    return services.objection_request(a), org["staff"], lambda: type(a).objects.get(pk=a.pk).status


def _risk_acceptance(org):
    from apps.risks import services
    from apps.risks.models import Strategy
    from apps.risks.tests.factories import RiskFactory

    risk = RiskFactory(department=org["sales_dept"], owner=org["manager"], title="销售风险")
    services.assess(risk=risk, actor=org["manager"], likelihood=4, impact=4, residual_likelihood=4, residual_impact=4)
    services.set_response(risk=risk, actor=org["manager"], strategy=Strategy.ACCEPT)
    request = approvals.request_for("risks.acceptance", risk.pk)
    return request, org["manager"], lambda: type(risk).objects.get(pk=risk.pk).acceptance


def _training_plan(org):
    from apps.training import services

    plan = services.create_plan(actor=org["manager"], title="销售部培训计划", year=2026, department=org["sales_dept"])
    services.add_course(
        plan=plan, actor=org["manager"], title="合同管理", hours=Decimal("2"), planned_month=12, trainer=org["ops"]
    )
    services.submit_plan(plan=plan, actor=org["manager"])
    request = approvals.request_for("training.plan", plan.pk)
    return request, org["manager"], lambda: type(plan).objects.get(pk=plan.pk).status


@dataclass(frozen=True)
class KindCase:
    start: object
    # the module's mirror after the request ends up pending / approved / rejected / returned / withdrawn
    mirror: dict
    # who may decide: the module can refuse a decision by someone outside its rules (only HR
    # resolves an objection); the grid's two approvers and the delegate then come from here
    people: tuple = ()


CASES = {
    "policies.draft": KindCase(
        _policy,
        {
            R.PENDING: "in_review",
            R.APPROVED: "published",
            R.REJECTED: "draft",
            R.RETURNED: "draft",
            R.WITHDRAWN: "draft",
        },
    ),
    "meetings.minutes": KindCase(
        _minutes,
        {
            R.PENDING: "confirming",
            R.APPROVED: "confirming",  # the organiser issues next
            R.REJECTED: "draft",
            R.RETURNED: "draft",
            R.WITHDRAWN: "draft",
        },
    ),
    "processes.change": KindCase(
        _process_change,
        {
            R.PENDING: "pending",
            R.APPROVED: "approved",
            R.REJECTED: "rejected",
            R.RETURNED: "returned",
            R.WITHDRAWN: "withdrawn",
        },
    ),
    "appraisals.objection": KindCase(
        _objection,
        {
            R.PENDING: "objected",
            R.APPROVED: "resolved",
            R.REJECTED: "resolved",
            R.RETURNED: "resolved",
            R.WITHDRAWN: "published",
        },
        people=("hr", "admin", "hr2"),
    ),
    "risks.acceptance": KindCase(
        _risk_acceptance,
        {R.PENDING: "pending", R.APPROVED: "approved", R.REJECTED: "rejected", R.RETURNED: "rejected", R.WITHDRAWN: ""},
    ),
    "training.plan": KindCase(
        _training_plan,
        {R.PENDING: "pending", R.APPROVED: "approved", R.REJECTED: "draft", R.RETURNED: "draft", R.WITHDRAWN: "draft"},
    ),
}
KINDS = sorted(CASES)


def test_the_grid_covers_every_registered_kind():
    assert set(kinds()) == set(CASES)


# --- the grid -----------------------------------------------------------------------------------------

# mode -> operation by FIRST (SECOND is the stage's other approver) -> expected
# (request status, who is asked now, task statuses to check)
APPROVER_OPS = [
    ("seq", "approve", R.PENDING, [SECOND], {FIRST: T.APPROVED}),
    ("all", "approve", R.PENDING, [SECOND], {FIRST: T.APPROVED}),
    ("any", "approve", R.APPROVED, [], {FIRST: T.APPROVED, SECOND: T.CANCELLED}),
    ("seq", "reject", R.REJECTED, [], {FIRST: T.REJECTED, SECOND: T.CANCELLED}),
    ("all", "reject", R.REJECTED, [], {FIRST: T.REJECTED, SECOND: T.CANCELLED}),
    ("any", "reject", R.REJECTED, [], {FIRST: T.REJECTED, SECOND: T.CANCELLED}),
    ("seq", "return", R.RETURNED, [], {FIRST: T.RETURNED, SECOND: T.CANCELLED}),
    ("all", "return", R.RETURNED, [], {FIRST: T.RETURNED, SECOND: T.CANCELLED}),
    ("any", "return", R.RETURNED, [], {FIRST: T.RETURNED, SECOND: T.CANCELLED}),
    ("seq", "transfer", R.PENDING, [TARGET], {FIRST: T.TRANSFERRED, SECOND: T.QUEUED}),
    ("all", "transfer", R.PENDING, [TARGET, SECOND], {FIRST: T.TRANSFERRED}),
    ("any", "transfer", R.PENDING, [TARGET, SECOND], {FIRST: T.TRANSFERRED}),
    ("seq", "add_before", R.PENDING, [TARGET], {FIRST: T.QUEUED, SECOND: T.QUEUED}),
    ("all", "add_before", R.PENDING, [TARGET, SECOND], {FIRST: T.QUEUED}),
    ("any", "add_before", R.PENDING, [TARGET, SECOND], {FIRST: T.QUEUED}),
    ("seq", "add_after", R.PENDING, [FIRST], {TARGET: T.QUEUED, SECOND: T.QUEUED}),
    ("all", "add_after", R.PENDING, [FIRST, SECOND], {TARGET: T.QUEUED}),
    ("any", "add_after", R.PENDING, [FIRST, SECOND], {TARGET: T.QUEUED}),
    ("seq", "comment", R.PENDING, [FIRST], {}),
    ("all", "comment", R.PENDING, [FIRST, SECOND], {}),
    ("any", "comment", R.PENDING, [FIRST, SECOND], {}),
]
PROPOSER_OPS = [
    (mode, op, status)
    for mode in ("seq", "all", "any", "cc")
    for op, status in (("withdraw", R.WITHDRAWN), ("urge", R.PENDING), ("comment", R.PENDING))
]


@pytest.fixture
def people(org, make_user):
    """people(code) -> (first approver, second approver, delegate) usernames for that kind."""
    make_user(roles=["staff", "hr"], username="hr2", department=org["root"], manager=org["gm"])
    users = {u.username: u for u in type(org["gm"]).objects.all()}
    org.update({k: v for k, v in users.items() if k not in org})

    def of(code):
        return CASES[code].people or (FIRST, SECOND, TARGET)

    return of


def _start(org, code: str, stages: list[dict]):
    """The kind's flow becomes `stages`, then the module starts a request about a fresh object."""
    flows.save_version(kind=kind_for(code), stages=stages, user=None)
    request, proposer, mirror = CASES[code].start(org)
    assert request is not None and request.status == R.PENDING, code
    return request, proposer, mirror


def _stage(mode: str, org, first=FIRST, second=SECOND) -> dict:
    return {"name": "审批", "mode": mode, "approvers": [{"type": "user", "user": org[u].pk} for u in (first, second)]}


def _asked(request) -> list[str]:
    return sorted(Task.objects.filter(request=request, status=T.PENDING).values_list("assignee__username", flat=True))


def _tasks(request) -> dict:
    return {t.assignee.username: t.status for t in Task.objects.filter(request=request).select_related("assignee")}


@pytest.mark.parametrize("code", KINDS)
@pytest.mark.parametrize(
    ("mode", "operation", "status", "asked", "tasks"),
    APPROVER_OPS,
    ids=[f"{mode}-{op}" for mode, op, *_rest in APPROVER_OPS],
)
def test_approver_operation_in_each_mode_for_each_kind(org, people, code, mode, operation, status, asked, tasks):
    first, second, _delegate = people(code)
    rename = {FIRST: first, SECOND: second}
    asked = [rename.get(u, u) for u in asked]
    tasks = {rename.get(u, u): v for u, v in tasks.items()}
    request, _proposer, mirror = _start(org, code, [_stage(mode, org, first, second)])
    target = org[TARGET] if operation in ("transfer", "add_before", "add_after") else None
    request = approvals.act(
        request=request,
        actor=org[first],
        operation=operation,
        opinion="意见",
        target=target,
        seen_version=request.version,
    )
    assert request.status == status
    assert _asked(request) == sorted(asked)
    assert {k: v for k, v in _tasks(request).items() if k in tasks} == tasks
    assert request.events.filter(operation=operation, actor=org[first]).count() == 1
    assert mirror() == CASES[code].mirror[status]


@pytest.mark.parametrize("code", KINDS)
@pytest.mark.parametrize(
    ("mode", "operation", "status"), PROPOSER_OPS, ids=[f"{mode}-{op}" for mode, op, _s in PROPOSER_OPS]
)
def test_proposer_operation_in_each_mode_for_each_kind(org, code, mode, operation, status):
    stages = [_stage(mode, org), {"name": "总经理", "mode": "seq", "approvers": [{"type": "gm"}]}]
    request, proposer, mirror = _start(org, code, stages)
    request = approvals.act(request=request, actor=proposer, operation=operation, opinion="意见")
    assert request.status == status
    assert request.events.filter(operation=operation, actor=proposer).count() == 1
    if operation == "withdraw":
        assert not Task.objects.filter(request=request, status__in=(T.PENDING, T.QUEUED)).exists()
    assert mirror() == CASES[code].mirror[status]


@pytest.mark.parametrize("code", KINDS)
def test_a_full_approval_reaches_each_module(org, code):
    request, _proposer, mirror = _start(org, code, [_stage("seq", org)])
    for who in (FIRST, SECOND):
        request = approvals.act(request=request, actor=org[who], operation="approve", opinion="同意")
    assert request.status == R.APPROVED and mirror() == CASES[code].mirror[R.APPROVED]
    assert request.events.filter(operation=Event.Operation.FINISH).count() == 1


@pytest.mark.parametrize("code", KINDS)
def test_nobody_approves_their_own_request_in_any_kind(org, code):
    """The flow names the proposer as its approver: the next person up decides, recorded."""
    proposer_of = {"policies.draft": "ops", "meetings.minutes": "manager", "processes.change": "staff"}
    proposer_of |= {"appraisals.objection": "staff", "risks.acceptance": "manager", "training.plan": "manager"}
    who = org[proposer_of[code]]
    request, proposer, _mirror = _start(
        org, code, [{"name": "本人", "mode": "seq", "approvers": [{"type": "user", "user": who.pk}]}]
    )
    assert proposer == who
    substitute = request.events.get(operation=Event.Operation.SUBSTITUTE)
    assert substitute.on_behalf_of == who and substitute.target is not None and substitute.target != who
    assert _asked(request) == [substitute.target.username]
    with pytest.raises(approvals.ApprovalError):
        approvals.act(request=request, actor=who, operation="approve")


@pytest.mark.parametrize("code", KINDS)
def test_delegation_works_for_each_kind(org, people, code):
    first, second, delegate = people(code)
    approvals.delegation_create(
        principal=org[first],
        delegate=org[delegate],
        start_date=date(2026, 11, 16),
        end_date=date(2026, 11, 20),
        kind=code,
    )
    request, _proposer, _mirror = _start(org, code, [_stage("any", org, first, second)])
    assert _asked(request) == sorted([delegate, second])
    request = approvals.act(request=request, actor=org[delegate], operation="approve", opinion="代批")
    assert request.status == R.APPROVED
    assert request.events.get(operation=Event.Operation.APPROVE).on_behalf_of == org[first]


@pytest.mark.parametrize("code", KINDS)
def test_escalation_after_the_limit_for_each_kind(org, code):
    from apps.approvals.escalation import overdue_run

    stage = {"name": "审批", "mode": "seq", "approvers": [{"type": "user", "user": org["manager"].pk}], "limit_days": 1}
    if code in ("meetings.minutes", "risks.acceptance", "training.plan"):  # proposed by the manager
        stage["approvers"] = [{"type": "user", "user": org["ops"].pk}]
    request, _proposer, _mirror = _start(org, code, [stage])
    asked = _asked(request)
    later = datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC)  # two working days on: twice the limit
    with time_machine.travel(later, tick=False):
        overdue_run(now=later)  # reminded, then passed up
        overdue_run(now=later)
    escalated = request.events.filter(operation=Event.Operation.ESCALATE)
    assert escalated.count() == 1 and escalated.get().on_behalf_of.username == asked[0]
    assert _asked(request) == [escalated.get().target.username]
