"""Shared fixtures. Tests talk to the real PostgreSQL and Redis named by DATABASE_URL /
REDIS_URL (or the embedded ones `make test` starts): never SQLite, never a mocked broker."""

import pytest

from apps.accounts.tests.factories import UserFactory
from apps.departments.tests.factories import DepartmentFactory


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language, whatever the previous one did."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _calendar_without_company_days(monkeypatch):
    """The working-day calendar keeps the company's days per process and rechecks a shared
    stamp now and then. In tests: every test starts from none (its database has none) without
    a query, so query counts do not depend on which test used the calendar first, and a
    rolled-back test's days do not outlive it."""
    from apps.scheduling import calendar

    monkeypatch.setattr(calendar, "RECHECK_SECONDS", float("inf"))
    calendar.assume_no_company_days()
    yield
    calendar.assume_no_company_days()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The layout's per-person figures are counted on every page (apps/core/usercache.py):
    # query counts stay comparable between requests; its own tests turn it on.
    settings.LAYOUT_CACHE = False
    # Pages render without `collectstatic` having run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# (the beat schedule is rebuilt after a flush by scheduling's own post_migrate hook)
# (the risk register's default categories and scale too: the demo and its tests need them)
DATA_MIGRATIONS = ["apps.accounts.migrations.0003_roles", "apps.risks.migrations.0002_defaults"]


@pytest.fixture(autouse=True)
def _restore_migration_data(request, django_db_blocker):
    """A transactional test ends by emptying every table, the rows of the data migrations
    (the role groups) too; put them back for the tests that follow."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if not ("transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction"))):
        return
    import importlib

    from django.apps import apps

    with django_db_blocker.unblock():
        for name in DATA_MIGRATIONS:
            module = importlib.import_module(name)
            for op in module.Migration.operations:
                if hasattr(op, "code"):
                    op.code(apps, None)


@pytest.fixture
def make_user(db):
    """make_user(roles=["hr"], department=dept, manager=boss, **fields)"""

    def make(roles=("staff",), **fields):
        return UserFactory(roles=list(roles), **fields)

    return make


@pytest.fixture
def org(db, make_user):
    """A small company: root with two departments, one with a sub-department; a head for
    each; one person per role. Returns a dict of departments and users by name."""
    root = DepartmentFactory(name="公司", code="co")
    sales = DepartmentFactory(name="销售部", code="sales", parent=root)
    ops = DepartmentFactory(name="运营管理部", code="ops", parent=root)
    ops_group = DepartmentFactory(name="流程优化组", code="ops-process", parent=ops)
    gm = make_user(roles=["staff", "manager"], username="gm", department=root)
    manager = make_user(roles=["staff", "manager"], username="manager", department=sales, manager=gm)
    ops_head = make_user(roles=["staff", "manager", "ops"], username="opshead", department=ops, manager=gm)
    for dept, head in ((root, gm), (sales, manager), (ops, ops_head), (ops_group, ops_head)):
        dept.head = head
        dept.save(update_fields=["head"])
    users = {
        "gm": gm,
        "manager": manager,
        "ops_head": ops_head,
        "staff": make_user(roles=["staff"], username="staff", department=sales, manager=manager),
        "ops": make_user(roles=["staff", "ops"], username="ops", department=ops_group, manager=ops_head),
        "hr": make_user(roles=["staff", "hr"], username="hr", department=root, manager=gm),
        "admin": make_user(roles=["staff", "admin"], username="admin", department=root, manager=gm),
        "outsider": make_user(roles=["staff"], username="outsider", department=ops, manager=ops_head),
    }
    return {"root": root, "sales_dept": sales, "ops_dept": ops, "ops_group": ops_group, **users}


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user (None: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make
