"""generate_scale_data builds a sound organisation; speed is measured by `make bench`, not here."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from apps.departments.models import Department, Position

SMALL = ["--only", "org", "--employees", "60", "--departments", "12", "--depth", "4"]


def generate(*extra):
    out = io.StringIO()
    call_command("generate_scale_data", *SMALL, *extra, stdout=out)
    return out.getvalue()


def counts():
    User = get_user_model()
    return {
        "departments": Department.objects.count(),
        "positions": Position.objects.count(),
        "users": User.objects.count(),
        "active": User.objects.filter(is_active=True).count(),
        "roles": User.groups.through.objects.count(),
    }


@pytest.mark.django_db
def test_small_company_has_requested_tree_depth_and_sizes():
    generate("--reset")
    assert Department.objects.count() == 12
    assert get_user_model().objects.count() == 60
    assert Department.objects.filter(parent=None).count() == 1
    assert max(Department.objects.values_list("depth", flat=True)) == 4
    # Paths follow the services' convention: the parent's path plus one's own id.
    for dept in Department.objects.select_related("parent"):
        expected = f"{dept.parent.path if dept.parent else '/'}{dept.pk}/"
        assert dept.path == expected
        assert dept.depth == (dept.parent.depth + 1 if dept.parent else 0)
        assert dept.head_id is not None


@pytest.mark.django_db
def test_every_employee_has_a_department_and_all_but_the_top_a_manager_without_cycles():
    generate("--reset")
    people = list(get_user_model().objects.values("pk", "department_id", "manager_id", "position_id"))
    assert all(p["department_id"] and p["position_id"] for p in people)
    tops = [p for p in people if p["manager_id"] is None]
    assert len(tops) == 1
    root = Department.objects.get(parent=None)
    assert root.head_id == tops[0]["pk"]
    manager_of = {p["pk"]: p["manager_id"] for p in people}
    for person in manager_of:
        seen, current = set(), person
        while current is not None:
            assert current not in seen, f"reporting cycle through {current}"
            seen.add(current)
            current = manager_of[current]


@pytest.mark.django_db
def test_bench_logins_exist_with_their_roles():
    out = generate("--reset")
    assert "Bench logins:" in out
    User = get_user_model()
    roles = {
        u.username: set(u.groups.values_list("name", flat=True))
        for u in User.objects.filter(username__startswith="bench-")
    }
    assert set(roles) == {f"bench-{r}" for r in ("gm", "manager", "staff", "hr", "ops", "admin")}
    assert "manager" in roles["bench-manager"]
    assert "hr" in roles["bench-hr"] and "ops" in roles["bench-ops"] and "admin" in roles["bench-admin"]
    staff = User.objects.get(username="bench-staff")
    assert staff.manager.username == "bench-manager"
    assert User.objects.get(username="bench-admin").is_superuser


@pytest.mark.django_db
def test_second_run_with_reset_gives_the_same_counts():
    generate("--reset")
    first = counts()
    generate("--reset")
    assert counts() == first


@pytest.mark.django_db
def test_second_run_without_reset_refuses_instead_of_duplicating():
    from django.core.management.base import CommandError

    generate("--reset")
    with pytest.raises(CommandError, match="--reset"):
        generate()


@pytest.mark.django_db
def test_bench_discovery_reports_a_failing_bench_module_and_keeps_measuring_the_others(monkeypatch):
    from bench import discover

    generate("--reset")

    class Broken:
        @staticmethod
        def pages(ctx):
            raise RuntimeError("boom")

        @staticmethod
        def jobs(ctx):
            raise RuntimeError("boom")

    real = discover.bench_modules

    def with_broken():
        found, errors = real()
        return found + [("broken", Broken)], errors + [("halfway", "import failed: SyntaxError()")]

    monkeypatch.setattr(discover, "bench_modules", with_broken)
    ctx = discover.bench_context()
    assert set(ctx["bench_users"]) == {"gm", "manager", "staff", "hr", "ops", "admin"}
    names = [p["name"] for p in discover.collect_pages(ctx)]
    assert names[0] == "floor"
    assert "org chart" in names and "admin: accounts.user" in names
    assert any(n.startswith("broken bench.py ERROR") and "boom" in n for n in names)
    assert any(n.startswith("halfway bench.py ERROR") for n in names)
    jobs, errors = discover.collect_jobs(ctx)
    assert "move a level-1 subtree and back" in [job["name"] for _label, job in jobs]
    assert any(label == "broken" for label, _message in errors)


@pytest.mark.django_db
def test_org_bench_jobs_can_run_repeatedly_and_leave_the_tree_as_it_was():
    from apps.departments import bench as org_bench
    from bench.discover import bench_context

    generate("--reset")
    before = dict(Department.objects.values_list("pk", "path"))
    jobs = {job["name"]: job["run"] for job in org_bench.jobs(bench_context())}
    for _ in range(2):
        assert jobs["move a level-1 subtree and back"]() > 0
    assert dict(Department.objects.values_list("pk", "path")) == before
    assert jobs["org tree selector (all departments)"]() == get_user_model().objects.filter(is_active=True).count()
