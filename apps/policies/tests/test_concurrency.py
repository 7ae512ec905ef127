"""Two approvers clicking at the same moment give one decision on the engine (two real DB
connections)."""

import threading
from datetime import date

import pytest
from django.db import connection

from apps.approvals import services as approvals
from apps.approvals.models import Event
from apps.policies import services
from apps.policies.models import HistoryAction, PolicyHistory, PolicyVersion, VersionStatus

from .factories import make_draft


@pytest.fixture(autouse=True)
def _role_groups(django_db_blocker):
    """Transactional tests truncate every table, the role groups of the data migration too."""
    from django.contrib.auth.models import Group

    from apps.accounts.roles import Role

    with django_db_blocker.unblock():
        for role in Role.values:
            Group.objects.get_or_create(name=role)


def _race(version, calls):
    """calls: [(actor, operation, opinion)], all on the page state seen before anyone clicked."""
    request = services.approval_of(version)
    seen = request.version
    barrier = threading.Barrier(len(calls))
    results = []

    def run(actor, operation, opinion):
        try:
            barrier.wait()
            approvals.act(request=request, actor=actor, operation=operation, opinion=opinion, seen_version=seen)
            results.append(operation)
        except approvals.ApprovalError:
            results.append("too late")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)


@pytest.mark.django_db(transaction=True)
def test_two_ops_approving_at_once_give_one_decision(org, make_user):
    second_ops = make_user(roles=["staff", "ops"], username="ops2", department=org["ops_group"])
    # Written by the ops head, so both racers may approve (four eyes keeps the author out).
    version = make_draft(actor=org["ops_head"], owning_department=org["sales_dept"])
    services.version_submit(version=version, actor=org["ops_head"])
    approvals.act(request=services.approval_of(version), actor=org["manager"], operation="approve")
    assert _race(version, [(org["ops"], "approve", "a"), (second_ops, "approve", "b")]) == ["approve", "too late"]
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    request = services.approval_of(version)
    assert request.events.filter(operation=Event.Operation.APPROVE).count() == 2  # the head and one ops member
    assert PolicyHistory.objects.filter(version=version, action=HistoryAction.PUBLISH).count() == 1


@pytest.mark.django_db(transaction=True)
def test_approve_and_return_at_once_give_one_decision(org):
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_submit(version=version, actor=org["ops"])
    approvals.delegation_create(  # the head's delegate and the head click at once
        principal=org["manager"], delegate=org["staff"], start_date=date(2000, 1, 1), end_date=date(2000, 1, 2)
    )
    results = _race(version, [(org["manager"], "approve", "同意"), (org["manager"], "return", "退回")])
    assert results.count("too late") == 1
    decided = PolicyVersion.objects.get(pk=version.pk).status
    assert decided in (VersionStatus.IN_REVIEW, VersionStatus.DRAFT)
    request = services.approval_of(version)
    assert request.events.filter(operation__in=[Event.Operation.APPROVE, Event.Operation.RETURN]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_creating_the_same_code_at_once_get_one_policy_and_a_message(org):
    """Both pass the "does the code exist" check; the database decides, the loser is told."""
    from django.core.exceptions import ValidationError

    from apps.policies.models import Policy

    barrier, results = threading.Barrier(2), []

    def create():
        try:
            barrier.wait()
            make_draft(actor=org["ops"], owning_department=org["ops_dept"], code="SAME-01")
            results.append("created")
        except ValidationError as exc:
            results.append(exc.message_dict["code"][0])
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and results.count("created") == 1  # the other got the message
    assert Policy.objects.filter(code="SAME-01").count() == 1
