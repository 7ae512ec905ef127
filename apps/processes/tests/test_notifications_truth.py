"""Doing the task resolves its notifications: recording a process review clears its review
reminders; completing an improvement action clears its notice and overdue reminders."""

import datetime

import pytest
from django.utils import timezone

from apps.notifications import reminding
from apps.notifications.models import Notification

from .. import services
from ..models import Process

pytestmark = pytest.mark.django_db


def open_of(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind, resolved_at__isnull=True).count()


def test_recording_the_review_and_completing_the_action_clear_their_reminders(org, sales_process):
    today = timezone.localdate()
    Process.objects.filter(pk=sales_process.pk).update(owner=org["manager"], next_review_date=today)
    reminding.scan_all(timezone.now())
    assert open_of(org["manager"], "processes.review_due") == 1
    review = services.review_record(
        process=sales_process,
        reviewer=org["ops"],
        reviewed_on=today,
        findings="时限过长",
        next_review_date=today + datetime.timedelta(days=90),
        actions=[
            {"description": "缩短审批时限", "owner": org["staff"], "due_date": today - datetime.timedelta(days=8)}
        ],
    )
    assert open_of(org["manager"], "processes.review_due") == 0
    reminding.scan_all(timezone.now())
    assert open_of(org["staff"], "processes.improvement_action") == 1
    assert open_of(org["staff"], "processes.action_overdue") == 1
    services.action_complete(action=review.actions.get(), user=org["staff"])
    assert open_of(org["staff"], "processes.improvement_action") == 0
    assert open_of(org["staff"], "processes.action_overdue") == 0
