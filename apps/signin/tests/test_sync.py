"""The directory sync against the real test directory: dry run reports and saves nothing,
the real run deactivates people who left, moves people whose department changed, links
portal accounts found in the directory, and never touches staff or superuser accounts."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone, translation

from apps.departments.tests.factories import DepartmentFactory
from apps.notifications.models import Notification
from apps.scheduling.registry import get as get_job
from apps.signin.directory import sync
from apps.signin.models import ExternalAccount

pytestmark = pytest.mark.django_db
User = get_user_model()
DN = "cn={},ou=people,dc=example,dc=com"


@pytest.fixture
def company(ldap_env, make_user):
    sales, ops = DepartmentFactory(code="sales", name="销售部"), DepartmentFactory(code="ops", name="运营管理部")
    people = {
        # in the directory, department unchanged
        "alice": make_user(username="alice", employee_no="E1001", department=sales),
        # in the directory but disabled there: leaves
        "bob": make_user(username="bob", employee_no="E1002", department=sales),
        # directory says "ops": moves
        "carol": make_user(username="carol", employee_no="E1003", department=sales),
        # not in the directory any more: leaves
        "dave": make_user(username="dave", employee_no="E1004", department=sales),
        # an administrator whose directory entry went away: untouched
        "root": make_user(username="root", employee_no="E1005", roles=["staff", "admin"], department=sales),
    }
    for name in ("alice", "bob", "carol", "dave", "root"):
        ExternalAccount.objects.create(user=people[name], source="ldap", subject=DN.format(name.title()))
    ExternalAccount.objects.filter(user=people["alice"]).update(subject=DN.format("Alice Wang"))
    ExternalAccount.objects.filter(user=people["bob"]).update(subject=DN.format("Bob Li"))
    ExternalAccount.objects.filter(user=people["carol"]).update(subject=DN.format("Carol Zhao").lower())
    return {"sales": sales, "ops": ops, **people}


def states():
    return dict(User.objects.values_list("username", "is_active").order_by("username")), dict(
        User.objects.values_list("username", "department__code")
    )


def test_dry_run_reports_and_saves_nothing(company):
    before = states()
    report = sync(dry_run=True)
    assert states() == before
    assert report.seen == 2  # active entries: bob is disabled there
    assert sorted(report.deactivated) == ["bob", "dave"]
    assert report.moved == [("carol", "sales", "ops")]
    assert "试运行" in report.lines()[0]
    with translation.override("en"):
        assert "dry run" in report.lines()[0]


def test_real_run_deactivates_moves_and_spares_staff(company):
    report = sync(dry_run=False)
    active, department = states()
    assert active == {"alice": True, "bob": False, "carol": True, "dave": False, "root": True}
    assert department["carol"] == "ops" and department["alice"] == "sales"
    assert report.changes == 3
    assert sync(dry_run=False).changes == 0  # a second run has nothing left to do


def test_unlinked_portal_account_is_linked_then_looked_after(ldap_env, make_user):
    DepartmentFactory(code="sales", name="销售部")
    alice = make_user(username="alice", employee_no="E1001")
    report = sync(dry_run=True)
    assert report.linked == ["alice"] and not ExternalAccount.objects.exists()
    sync(dry_run=False)
    assert ExternalAccount.objects.get(user=alice).subject == DN.format("Alice Wang").lower()


def test_management_command_and_scheduled_job(company, settings, capsys):
    call_command("directory_sync", "--dry-run")
    out = capsys.readouterr().out
    assert "停用 bob" in out and "调整部门 carol：sales -> ops" in out
    assert User.objects.get(username="dave").is_active
    job = get_job("signin.directory_sync")
    assert job.func(timezone.now()) == 0  # off by default
    settings.DIRECTORY_SYNC_ENABLED = True
    assert job.func(timezone.now()) == 3
    assert not User.objects.get(username="dave").is_active
    report = Notification.objects.get(recipient=company["root"], kind="signin.directory_sync")
    assert "停用 2 人" in report.title and "停用 dave" in report.body and "carol：sales -> ops" in report.body
    assert job.func(timezone.now()) == 0
    assert Notification.objects.filter(kind="signin.directory_sync").count() == 1  # nothing new, no report


def test_beat_row_runs_the_job_nightly(db):
    from django_celery_beat.models import PeriodicTask

    row = PeriodicTask.objects.get(name="signin.directory_sync")
    assert row.task == "scheduling.run_job" and (row.crontab.hour, row.crontab.minute) == ("2", "30")
