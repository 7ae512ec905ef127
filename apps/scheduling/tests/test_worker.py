"""The guarantees, with real Redis and real worker processes on queues of their own."""

import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from apps.notifications.models import Notification, OutboundEmail, Reminder, SentReminder
from apps.scheduling.models import JobRun
from apps.scheduling.tasks import run_job_task

from .worker import Worker, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def plan_many(users, n, *, days_back=0):
    today = timezone.localdate()
    Reminder.objects.bulk_create(
        [
            Reminder(
                recipient=users[i % len(users)],
                kind="reminders.planned",
                object_type="test.thing",
                object_id=i,
                due_date=today - timedelta(days=i % (days_back + 1)),
                title=f"提醒 {i}",
            )
            for i in range(n)
        ]
    )


def finished_runs(name):
    return JobRun.objects.filter(name=name).exclude(outcome="running")


@pytest.fixture
def workers():
    started = []

    def start(*args, **kwargs):
        w = Worker(*args, **kwargs).start()
        started.append(w)
        return w

    yield start
    for w in started:
        w.stop()


def test_the_scan_sent_twice_and_twice_at_once_to_real_workers_sends_each_reminder_once(org, workers):
    plan_many([org["staff"], org["manager"], org["ops"]], 40)
    first = workers()
    workers(first.queue)  # a second worker on the same queue: two runs really at once
    for _ in range(2):
        run_job_task.apply_async(args=["reminders.scan"], queue=first.queue)
    wait_for(lambda: finished_runs("reminders.scan").count() == 2, message="two runs")
    run_job_task.apply_async(args=["reminders.scan"], queue=first.queue)
    wait_for(lambda: finished_runs("reminders.scan").count() == 3, message="third run")
    runs = list(finished_runs("reminders.scan").values_list("outcome", "items"))
    assert [o for o, _ in runs] == ["ok"] * 3 and sorted(i for _, i in runs) == [0, 0, 40]
    assert Notification.objects.count() == 40 and SentReminder.objects.count() == 40


def test_a_scan_after_a_missed_week_sends_what_is_due_once(org, workers):
    plan_many([org["staff"], org["hr"]], 28, days_back=7)  # due on each of the last eight days
    worker = workers()
    run_job_task.apply_async(args=["reminders.scan"], queue=worker.queue)
    wait_for(lambda: finished_runs("reminders.scan").count() == 1, message="catch-up run")
    run_job_task.apply_async(args=["reminders.scan"], queue=worker.queue)
    wait_for(lambda: finished_runs("reminders.scan").count() == 2, message="second run")
    assert sorted(finished_runs("reminders.scan").values_list("items", flat=True)) == [0, 28]
    assert Notification.objects.count() == 28


def test_a_worker_killed_mid_job_leaves_nothing_half_done_and_the_job_completes_once_after_restart(
    org, workers, tmp_path
):
    plan_many([org["staff"], org["manager"]], 30)
    marker = tmp_path / f"hold-{uuid.uuid4().hex[:6]}"
    marker.write_text("hold")
    inside = Path(str(marker) + ".inside")
    env = {"CELERY_VISIBILITY_TIMEOUT": "3", "SLOW_JOB_MARKER": str(marker)}
    first = workers(include="apps.scheduling.tests.slow_jobs", **env)
    run_job_task.apply_async(args=["test.slow_scan"], queue=first.queue)
    wait_for(inside.exists, message="the job to have written its reminders")
    assert inside.read_text() == "30"  # written inside its open transaction...
    first.kill()
    # ...and gone with the killed worker: PostgreSQL rolled the transaction back.
    assert Notification.objects.count() == 0 and SentReminder.objects.count() == 0
    assert JobRun.objects.get(name="test.slow_scan").outcome == "running"
    marker.unlink()  # the next run goes straight through
    workers(first.queue, include="apps.scheduling.tests.slow_jobs", **env)
    # Redis hands the unacknowledged message out again after the visibility timeout.
    wait_for(
        lambda: finished_runs("test.slow_scan").filter(outcome="ok").exists(), timeout=90, message="the redelivered job"
    )
    time.sleep(8)  # more than two visibility timeouts: an acknowledged job is not delivered again
    outcomes = sorted(JobRun.objects.filter(name="test.slow_scan").values_list("outcome", "items"))
    assert outcomes == [("interrupted", 0), ("ok", 30)]
    assert Notification.objects.count() == 30 and SentReminder.objects.count() == 30


def test_a_mail_goes_from_the_outbox_through_a_real_worker_to_the_mail_backend(org, workers, tmp_path):
    from apps.notifications.services import notify
    from apps.notifications.tasks import deliver_emails

    notify(recipient=org["staff"], kind="policies.ack_required", title="请确认《员工手册》")
    row = OutboundEmail.objects.get()
    worker = workers(EMAIL_URL=f"filemail:///{tmp_path}")  # environ drops one leading slash
    deliver_emails.apply_async(args=[[row.pk]], queue=worker.queue)
    wait_for(lambda: OutboundEmail.objects.filter(pk=row.pk, status="sent").exists(), message="the mail")
    sent = "".join(p.read_text() for p in tmp_path.iterdir())
    assert "staff@example.com" in sent and "Subject:" in sent
