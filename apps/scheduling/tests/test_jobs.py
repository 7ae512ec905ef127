import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_celery_beat.models import PeriodicTask

from apps.scheduling import registry
from apps.scheduling.models import JobRun
from apps.scheduling.runner import TASK_NAME, run_job


@pytest.fixture
def temp_jobs():
    """Register throw-away jobs for one test and remove them afterwards."""
    added, shadowed = [], {}
    registry.discover()

    def add(name, func, **kw):
        if name in registry._jobs:
            shadowed[name] = registry._jobs.pop(name)
        registry.register(name, func, **kw)
        added.append(name)

    yield add
    for name in added:
        registry._jobs.pop(name, None)
    registry._jobs.update(shadowed)


@pytest.mark.django_db
def test_a_successful_run_records_items_duration_and_ok(temp_jobs):
    temp_jobs("t.ok", lambda now: 7)
    run = run_job("t.ok")
    run.refresh_from_db()
    assert (run.outcome, run.items, run.error) == ("ok", 7, "")
    assert run.finished_at >= run.started_at and run.duration is not None


@pytest.mark.django_db
def test_a_failed_run_records_the_error_and_rolls_back_its_writes(temp_jobs, django_user_model):
    def broken(now):
        django_user_model.objects.create(username="half-done")
        raise RuntimeError("mail server on fire")

    temp_jobs("t.broken", broken)
    run = run_job("t.broken")
    assert run.outcome == "failed" and "RuntimeError: mail server on fire" in run.error
    assert not django_user_model.objects.filter(username="half-done").exists()


@pytest.mark.django_db
def test_every_job_is_a_management_command(temp_jobs, capsys):
    temp_jobs("t.cmd", lambda now: now.date().day)
    call_command("run_job", "t.cmd", "--date", "2026-03-14")
    assert "t.cmd: 14 items" in capsys.readouterr().out
    assert JobRun.objects.get(name="t.cmd").outcome == "ok"


@pytest.mark.django_db
def test_the_command_fails_loudly_for_a_failing_or_unknown_job(temp_jobs):
    temp_jobs("t.bad", lambda now: 1 / 0)
    with pytest.raises(CommandError, match="ZeroDivisionError"):
        call_command("run_job", "t.bad")
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_job", "no.such.job")


@pytest.mark.django_db
def test_the_command_lists_the_registered_jobs(capsys):
    call_command("run_job", "--list")
    out = capsys.readouterr().out
    for name in (
        "reminders.scan",
        "notifications.deliver_pending",
        "notifications.daily_digest",
        "scheduling.prune_runs",
    ):
        assert name in out


@pytest.mark.django_db
def test_the_migration_schedules_every_framework_job_on_a_crontab_editable_in_admin():
    tasks = {t.name: t for t in PeriodicTask.objects.filter(task=TASK_NAME).select_related("crontab")}
    assert {
        "reminders.scan",
        "notifications.deliver_pending",
        "notifications.daily_digest",
        "scheduling.prune_runs",
    } <= set(tasks)
    for name, task in tasks.items():
        assert task.args == f'["{name}"]' and task.crontab is not None and task.enabled
        registry.get(name)  # every scheduled name is a registered job
    assert tasks["notifications.daily_digest"].crontab.hour == "8"


@pytest.mark.django_db
def test_admin_lists_each_scheduled_job_with_last_run_outcome_and_last_failure(client_for, org, temp_jobs):
    temp_jobs("reminders.scan", lambda now: 1 / 0)  # shadow the real job: its next run fails
    run_job("reminders.scan")
    JobRun.objects.create(
        name="reminders.scan", started_at=JobRun.objects.get().started_at, outcome="ok", items=3, duration=0.5
    )
    response = client_for(org["admin"]).get("/admin/scheduling/scheduledjob/")  # the admin role, not a superuser
    assert response.status_code == 200
    html = response.content.decode()
    assert "notifications.daily_digest" in html and "reminders.scan" in html
    assert "ZeroDivisionError" in html  # the last failure's error
    assert "0.5" in html  # the last run's duration


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/scheduling/scheduledjob/",
        "/admin/scheduling/jobrun/",
        "/admin/notifications/outboundemail/",
        "/admin/notifications/sentreminder/",
    ],
)
def test_the_jobs_and_mail_admin_is_for_administrators_only(client_for, org, path):
    assert client_for(org["admin"]).get(path).status_code == 200
    for who in ("staff", "hr", "ops", "manager"):
        assert client_for(org[who]).get(path).status_code == 302, who  # not staff: to the admin login
    assert client_for(None).get(path).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_job_at_once_take_turns(temp_jobs):
    inside, overlaps = [], []

    def slow(now):
        inside.append(1)
        if len(inside) > 1:
            overlaps.append(1)
        time.sleep(0.5)
        inside.pop()
        return 1

    temp_jobs("t.slow", slow)

    def go():
        try:
            run_job("t.slow")
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == []
    assert list(JobRun.objects.filter(name="t.slow").values_list("outcome", flat=True)) == ["ok", "ok"]


@pytest.mark.django_db
def test_prune_forgets_old_runs_only(temp_jobs):
    from datetime import timedelta

    from django.utils import timezone

    old = JobRun.objects.create(name="x", started_at=timezone.now() - timedelta(days=120), outcome="ok")
    recent = JobRun.objects.create(name="x", started_at=timezone.now(), outcome="ok")
    run_job("scheduling.prune_runs")
    assert not JobRun.objects.filter(pk=old.pk).exists() and JobRun.objects.filter(pk=recent.pk).exists()


@pytest.mark.django_db
def test_prune_forgets_idle_runs_after_a_week_but_keeps_failures():
    from datetime import timedelta

    from django.utils import timezone

    ten_days = timezone.now() - timedelta(days=10)
    idle = JobRun.objects.create(name="x", started_at=ten_days, outcome="ok", items=0)
    busy = JobRun.objects.create(name="x", started_at=ten_days, outcome="ok", items=3)
    failed = JobRun.objects.create(name="x", started_at=ten_days, outcome="failed", items=0)
    run_job("scheduling.prune_runs")
    assert set(JobRun.objects.filter(name="x").values_list("pk", flat=True)) == {busy.pk, failed.pk}
    assert not JobRun.objects.filter(pk=idle.pk).exists()


def test_every_job_name_is_registered_once_by_one_module():
    """Two registrations of one name would silently replace each other."""
    from apps.scheduling.registry import all_jobs

    by_name = {}
    for found in all_jobs():
        by_name.setdefault(found.name, []).append(found.func.__module__)
    assert all(len(modules) == 1 for modules in by_name.values())
    assert registry.get("policies.publish_due").func.__module__ == "apps.policies.jobs"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/scheduling/scheduledjob/",
        "/admin/scheduling/jobrun/",
        "/admin/notifications/outboundemail/",
        "/admin/notifications/sentreminder/",
        "/admin/notifications/reminder/",
        "/admin/notifications/notification/",
        "/admin/notifications/notificationpreference/",
    ],
)
def test_admin_changelists_cost_the_same_queries_for_5_or_50_rows(client_for, org, path):
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.notifications.models import Notification, NotificationPreference, OutboundEmail, Reminder, SentReminder

    people = [org[r] for r in ("staff", "manager", "ops", "hr", "gm")]

    def add(n, start):
        for i in range(start, start + n):
            user = people[i % 5]
            note = Notification.objects.create(recipient=user, kind=f"k.{i}", title=f"通知{i}")
            OutboundEmail.objects.create(recipient=user, to=user.email, notification=note)
            Reminder.objects.create(
                recipient=user, kind="k", object_type="t", object_id=i, due_date=date.today(), title=f"提醒{i}"
            )
            SentReminder.objects.create(recipient=user, kind="k", object_type="t", object_id=i, due_date=date.today())
            NotificationPreference.objects.create(user=user, kind=f"k.{i}", channel="digest")
            JobRun.objects.create(name=f"job{i % 7}", started_at=timezone.now(), outcome="ok")

    client = client_for(org["admin"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    add(5, 0)
    few = count()
    add(45, 5)
    assert count() == few
