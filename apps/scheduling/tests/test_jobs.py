import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_celery_beat.models import PeriodicTask

from apps.scheduling import registry
from apps.scheduling.beat import sync_schedule
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
def test_the_beat_schedule_is_every_declared_job_on_its_declared_crontab():
    sync_schedule()  # what migrate does (post_migrate)
    tasks = {t.name: t for t in PeriodicTask.objects.filter(task=TASK_NAME).select_related("crontab")}
    declared = {j.name: j for j in registry.all_jobs() if j.schedule}
    assert set(tasks) == set(declared)
    assert {
        "reminders.scan",
        "notifications.deliver_pending",
        "notifications.daily_digest",
        "scheduling.prune_runs",
        "policies.publish_due",
        "kpis.remind_missing_figures",
        "appraisals.open_previous_quarter",
        "appraisals.advance_due_stages",
        "search.refresh_people",
    } <= set(tasks)
    for name, task in tasks.items():
        c = task.crontab
        assert task.args == f'["{name}"]' and task.enabled
        assert f"{c.minute} {c.hour} {c.day_of_month} {c.month_of_year} {c.day_of_week}" == declared[name].schedule
    assert tasks["notifications.daily_digest"].crontab.hour == "8"


@pytest.mark.django_db
def test_syncing_twice_changes_nothing_and_keeps_the_administrators_on_off_choice(temp_jobs):
    temp_jobs("t.nightly", lambda now: 0, schedule="0 2 * * *")
    sync_schedule()
    PeriodicTask.objects.filter(name="t.nightly").update(enabled=False)
    assert sync_schedule() == {"created": [], "updated": [], "deleted": []}
    assert PeriodicTask.objects.get(name="t.nightly").enabled is False


@pytest.mark.django_db
def test_a_changed_declaration_moves_the_row_and_a_removed_job_leaves_the_beat(temp_jobs):
    temp_jobs("t.nightly", lambda now: 0, schedule="0 2 * * *")
    temp_jobs("t.gone", lambda now: 0, schedule="0 3 * * *")
    sync_schedule()
    PeriodicTask.objects.filter(name="t.nightly").update(enabled=False)
    temp_jobs("t.nightly", lambda now: 0, schedule="30 4 * * 1")
    registry._jobs.pop("t.gone")
    assert sync_schedule() == {"created": [], "updated": ["t.nightly"], "deleted": ["t.gone"]}
    row = PeriodicTask.objects.select_related("crontab").get(name="t.nightly")
    assert (row.crontab.minute, row.crontab.hour, row.crontab.day_of_week, row.enabled) == ("30", "4", "1", False)
    assert not PeriodicTask.objects.filter(name="t.gone").exists()


def test_a_schedule_must_be_a_five_field_crontab(temp_jobs):
    with pytest.raises(ValueError, match="crontab"):
        temp_jobs("t.bad_schedule", lambda now: 0, schedule="daily")


@pytest.mark.django_db
def test_the_sync_command_reports_what_it_changed(temp_jobs, capsys):
    sync_schedule()
    temp_jobs("t.cmd_scheduled", lambda now: 0, schedule="0 5 * * *")
    call_command("sync_schedule")
    assert "created: t.cmd_scheduled" in capsys.readouterr().out
    call_command("sync_schedule")
    assert "up to date" in capsys.readouterr().out


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


@pytest.mark.django_db
def test_migrate_brings_the_beat_schedule_back_in_line():
    from django.core.management.sql import emit_post_migrate_signal

    PeriodicTask.objects.filter(name="reminders.scan").delete()
    PeriodicTask.objects.filter(name="notifications.daily_digest").update(enabled=False)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # what every migrate sends
    assert PeriodicTask.objects.get(name="reminders.scan").crontab.minute == "*/15"
    assert PeriodicTask.objects.get(name="notifications.daily_digest").enabled is False
