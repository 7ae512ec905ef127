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
    roles = {u.username: set(u.groups.values_list("name", flat=True))
             for u in User.objects.filter(username__startswith="bench-")}
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
