"""Two approvers clicking at the same moment give one decision (two real DB connections)."""

import threading

import pytest
from django.db import connection

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


def _race(version, actors, action, comments):
    barrier = threading.Barrier(len(actors))
    results = []

    def run(actor, comment):
        try:
            barrier.wait()
            services.version_transition(
                version=version, action=action, actor=actor, comment=comment, from_status=VersionStatus.OPS_REVIEW
            )
            results.append("ok")
        except services.TransitionError:
            results.append("too late")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a, c)) for a, c in zip(actors, comments, strict=False)]
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
    services.version_transition(version=version, action="submit", actor=org["ops_head"])
    services.version_transition(version=version, action="approve", actor=org["manager"])
    assert _race(version, [org["ops"], second_ops], "approve", ["a", "b"]) == ["ok", "too late"]
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert PolicyHistory.objects.filter(version=version, action=HistoryAction.OPS_APPROVE).count() == 1
    assert PolicyHistory.objects.filter(version=version, action=HistoryAction.PUBLISH).count() == 1


@pytest.mark.django_db(transaction=True)
def test_approve_and_return_at_once_give_one_decision(org):
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_transition(version=version, action="submit", actor=org["ops"])
    results = []
    barrier = threading.Barrier(2)

    def run(action, actor):
        try:
            barrier.wait()
            services.version_transition(
                version=version, action=action, actor=actor, comment="意见", from_status=VersionStatus.IN_REVIEW
            )
            results.append(action)
        except services.TransitionError:
            results.append("too late")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("approve", org["manager"])),
        threading.Thread(target=run, args=("return", org["admin"])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("too late") == 1
    decided = PolicyVersion.objects.get(pk=version.pk).status
    assert decided in (VersionStatus.OPS_REVIEW, VersionStatus.DRAFT)
    assert (
        PolicyHistory.objects.filter(
            version=version, action__in=[HistoryAction.DEPT_APPROVE, HistoryAction.RETURN]
        ).count()
        == 1
    )
