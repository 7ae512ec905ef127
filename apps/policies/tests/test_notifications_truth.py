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


def test_an_approval_step_clears_draft_to_approve_for_everyone_it_was_sent_to(org, make_user):
    second_ops = make_user(roles=["staff", "ops"], department=org["ops_group"], manager=org["ops_head"])
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_transition(version=version, action="submit", actor=org["ops"])
    services.version_transition(version=version, action="approve", actor=org["manager"])
    asked = Notification.objects.filter(kind="policies.approval", resolved_at__isnull=True)
    assert {org["ops_head"].pk, second_ops.pk} <= set(asked.values_list("recipient", flat=True))
    services.version_transition(version=version, action="approve", actor=second_ops)
    assert not Notification.objects.filter(kind="policies.approval", resolved_at__isnull=True).exists()


def test_returning_and_resubmitting_clears_each_ask(org):
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_transition(version=version, action="submit", actor=org["ops"])
    assert open_of(org["manager"], "policies.approval") == ["policies.approval"]
    services.version_transition(version=version, action="return", actor=org["manager"], comment="请补充第三条")
    assert open_of(org["manager"], "policies.approval") == []
    assert open_of(org["ops"], "policies.returned") == ["policies.returned"]
    services.version_transition(version=version, action="submit", actor=org["ops"])
    assert open_of(org["ops"], "policies.returned") == []
    assert open_of(org["manager"], "policies.approval") == ["policies.approval"]


def test_recording_the_review_clears_its_reminders(org, sales_only):
    policy = sales_only.policy
    policy.next_review_date = timezone.localdate() + timedelta(days=7)
    policy.save(update_fields=["next_review_date"])
    reminding.scan_all(timezone.now())
    head = org["ops_head"]
    assert open_of(head, "policies.review_due") == ["policies.review_due"]
    services.policy_record_review(policy=policy, actor=org["ops"], outcome="no_change", comment="无需修订")
    assert open_of(head, "policies.review_due") == []


def test_the_approval_dialogs_say_how_many_people_they_reach(org, make_user, client_for):
    for who in ("ops", "manager", "ops_head"):
        org[who].preferred_language = "en"
        org[who].save(update_fields=["preferred_language"])
    for _ in range(3):
        make_user(department=org["sales_dept"], manager=org["manager"])
    version = make_draft(
        actor=org["ops"],
        owning_department=org["sales_dept"],
        ack_scope="departments",
        ack_departments=[org["sales_dept"]],
    )
    url = version.get_absolute_url()
    html = client_for(org["ops"]).get(url).content.decode()
    assert "this notifies 1 person" in html  # submit: the owning head
    services.version_transition(version=version, action="submit", actor=org["ops"])
    html = client_for(org["manager"]).get(url).content.decode()
    assert "Operations management approves next: this notifies 2 people." in html  # ops, ops_head
    assert "the draft goes back to its author: this notifies 1 person" in html
    services.version_transition(version=version, action="approve", actor=org["manager"])
    html = client_for(org["ops_head"]).get(url).content.decode()
    # Sales: manager, staff and the three new people are asked to read it.
    assert "and 5 people are asked to read and acknowledge it" in html
