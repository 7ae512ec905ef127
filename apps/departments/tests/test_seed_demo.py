from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from apps.accounts.permissions import user_roles
from apps.departments.models import Department

pytestmark = pytest.mark.django_db
User = get_user_model()


def seed_org_only(settings, monkeypatch):
    """The organisation part alone (modules' demo data have their own tests)."""
    from apps.core.management.commands import seed_demo
    from apps.departments import demo

    settings.DEBUG = True
    monkeypatch.setattr(seed_demo, "app_modules", lambda name: [demo])
    call_command("seed_demo", stdout=StringIO())


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(username="admin").exists()


def test_seed_demo_builds_a_believable_company_and_is_idempotent(settings, monkeypatch):
    seed_org_only(settings, monkeypatch)
    counts = (Department.objects.count(), User.objects.count())
    seed_org_only(settings, monkeypatch)
    assert (Department.objects.count(), User.objects.count()) == counts

    assert 55 <= counts[1] <= 80
    ops = Department.objects.get(code="ops")
    assert ops.name == "运营管理部"
    assert set(ops.children.values_list("name", flat=True)) == {"运营规划组", "数据分析组", "流程优化组", "项目管理组"}
    roles = {u: set(user_roles(User.objects.get(username=u))) for u in ("admin", "ops", "hr", "gm", "manager", "staff")}
    assert "admin" in roles["admin"] and "ops" in roles["ops"] and "hr" in roles["hr"]
    assert "manager" in roles["manager"] and roles["staff"] == {"staff"}
    gm = User.objects.get(username="gm")
    assert Department.objects.get(code="company").head == gm
    # Department heads report to the general manager; everyone else has a manager too.
    for dept in Department.objects.filter(parent__code="company").exclude(
        code__in=["board", "supervisors", "gm-office"]
    ):
        assert dept.head.manager == gm, dept.name
    assert not User.objects.filter(manager__isnull=True).exclude(username="board-chair").exists()
    assert User.objects.get(username="staff").check_password(settings.DEMO_PASSWORD)
