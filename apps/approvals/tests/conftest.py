"""A kind of request for the engine's own tests. Its object is a Department (the engine
imports no domain app); facts and callbacks are recorded per test."""

import pytest

from apps.departments.tests.factories import DepartmentFactory

from .. import flows, services
from ..registry import ApprovalKind, register, unregister

KIND = "test.memo"


class Recorder:
    def __init__(self):
        self.facts = {}
        self.calls = []

    def kind(self):
        return ApprovalKind(
            code=KIND,
            label="测试申请",
            model="departments.Department",
            default_stages=[{"name": "负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}]}],
            facts=lambda obj: self.facts.get(obj.pk, {}),
            fields={"amount": "金额"},
            owner_department=lambda obj: obj,
            on_approved=lambda obj, req, actor: self.calls.append(("approved", obj.pk)),
            on_rejected=lambda obj, req, actor: self.calls.append(("rejected", obj.pk)),
            on_returned=lambda obj, req, actor: self.calls.append(("returned", obj.pk)),
            on_withdrawn=lambda obj, req, actor: self.calls.append(("withdrawn", obj.pk)),
        )


@pytest.fixture
def memo_kind(db):
    rec = Recorder()
    register(rec.kind())
    yield rec
    unregister(KIND)


@pytest.fixture
def use_flow(memo_kind):
    """use_flow([stage, ...]) makes those stages the test kind's current flow."""

    def make(stages):
        return flows.save_version(kind=memo_kind.kind(), stages=stages, user=None)

    return make


@pytest.fixture
def propose(memo_kind, org):
    """propose(proposer, facts=None) -> a submitted request about a fresh object."""

    def make(proposer=None, facts=None, owner=None, title="采购申请"):
        obj = owner or DepartmentFactory()
        memo_kind.facts[obj.pk] = facts or {}
        return services.submit(kind=KIND, obj=obj, proposer=proposer or org["staff"], title=title)

    return make


def user(pk_or_user):
    return {"type": "user", "user": pk_or_user.pk}
