"""Doing the task resolves its notifications: acknowledging clears "please read" and its
reminders (the manager's report once all their people have read), a new version replaces the
old ask (one item per regulation, not one per version), approving a step clears the approvers'
"draft to approve" for everyone it was sent to, and recording the review clears its reminders."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.notifications import reminding
from apps.notifications.models import Notification
from apps.policies import services

from .factories import make_draft, publish, regulation_text

pytestmark = pytest.mark.django_db


def open_of(user, *kinds):
    qs = Notification.objects.filter(recipient=user, resolved_at__isnull=True)
    return sorted(qs.filter(kind__in=kinds).values_list("kind", flat=True))


@pytest.fixture
def sales_only(org):
    version = make_draft(
        actor=org["ops"],
        owning_department=org["ops_dept"],
        code="ACK-T",
        ack_scope="departments",
        ack_departments=[org["sales_dept"]],
    )
    return publish(version, head=org["ops_head"], ops=org["ops"])


def scan_after(version, days):
    day = timezone.localdate(version.published_at) + timedelta(days=days)
    reminding.scan_all(timezone.make_aware(datetime.combine(day, time(9))))


ACK = ("policies.ack_required", "policies.ack_reminder", "policies.ack_overdue_report")


def test_acknowledging_clears_please_read_and_its_reminders_for_that_person_only(org, sales_only, client_for):
    scan_after(sales_only, 7)
    assert open_of(org["staff"], *ACK) == ["policies.ack_reminder", "policies.ack_required"]
    manager_before = open_of(org["manager"], *ACK)
    assert manager_before  # the head of sales is asked too
    client_for(org["staff"]).post(reverse("policies:acknowledge", args=["ACK-T", "V1"]))
    assert open_of(org["staff"], *ACK) == []
    assert open_of(org["manager"], *ACK) == manager_before


def test_the_managers_report_clears_when_the_last_of_their_people_has_read(org, sales_only, make_user):
    other = make_user(department=org["sales_dept"], manager=org["manager"])
    scan_after(sales_only, 14)
    assert open_of(org["manager"], "policies.ack_overdue_report") == ["policies.ack_overdue_report"]
    services.acknowledge(user=org["staff"], version=sales_only)
    assert open_of(org["manager"], "policies.ack_overdue_report") == ["policies.ack_overdue_report"]
    services.acknowledge(user=other, version=sales_only)
    assert open_of(org["manager"], "policies.ack_overdue_report") == []


def test_a_new_version_leaves_one_please_read_per_person(org, sales_only):
    scan_after(sales_only, 7)
    v2 = services.draft_from_current(policy=sales_only.policy, actor=org["ops"])
    services.draft_update(
        version=v2,
        actor=org["ops"],
        text=regulation_text(extra="修订"),
        title="",
        label=v2.label,
        effective_date=None,
        change_summary="修订",
        ack_scope="departments",
        ack_departments=[org["sales_dept"]],
    )
    publish(v2, head=org["ops_head"], ops=org["ops"])
    assert open_of(org["staff"], *ACK) == ["policies.ack_required"]  # the old reminder is gone
    assert Notification.objects.filter(recipient=org["staff"], kind="policies.ack_required").count() == 2


def _engine_act(version, actor, operation, opinion=""):
    from apps.approvals import services as approvals

    return approvals.act(request=services.approval_of(version), actor=actor, operation=operation, opinion=opinion)


# Drafts are approved on the approvals engine: "waiting for you" is its notification.
WAITING = ("approvals.task", "approvals.urge", "approvals.reminder")


def test_an_approval_step_clears_waiting_for_everyone_it_was_sent_to(org, make_user):
    second_ops = make_user(roles=["staff", "ops"], department=org["ops_group"], manager=org["ops_head"])
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_submit(version=version, actor=org["ops"])
    _engine_act(version, org["manager"], "approve")
    asked = Notification.objects.filter(kind__in=WAITING, resolved_at__isnull=True)
    # operations approves (或签); the author, an ops member, is not asked
    assert set(asked.values_list("recipient", flat=True)) == {org["ops_head"].pk, second_ops.pk}
    _engine_act(version, second_ops, "approve")
    assert not Notification.objects.filter(kind__in=WAITING, resolved_at__isnull=True).exists()


def test_returning_and_resubmitting_clears_each_ask(org):
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_submit(version=version, actor=org["ops"])
    assert open_of(org["manager"], *WAITING) == ["approvals.task"]
    _engine_act(version, org["manager"], "return", opinion="请补充第三条")
    assert open_of(org["manager"], *WAITING) == []
    version.refresh_from_db()
    services.version_submit(version=version, actor=org["ops"], comment="已补充")
    assert open_of(org["manager"], *WAITING) == ["approvals.task"]


def test_recording_the_review_clears_its_reminders(org, sales_only):
    policy = sales_only.policy
    policy.next_review_date = timezone.localdate() + timedelta(days=7)
    policy.save(update_fields=["next_review_date"])
    reminding.scan_all(timezone.now())
    head = org["ops_head"]
    assert open_of(head, "policies.review_due") == ["policies.review_due"]
    services.policy_record_review(policy=policy, actor=org["ops"], outcome="no_change", comment="无需修订")
    assert open_of(head, "policies.review_due") == []
