"""Who may do what with the organisation, and the organisation predicates every app uses
(general manager, head of a department, manager of a person): defined once, here. The role
predicates (is ops, is HR, is admin, department-head role) live in apps/accounts/permissions.py.

Used by views (apps.core.permissions / has_perm) and templates ({% has_perm %}) alike."""

import rules

from apps.accounts.permissions import is_admin, is_hr, is_ops, is_staff_member

from .models import Department


def general_manager():
    """The head of the company: the head of the root department (the first, if several)."""
    root = (
        Department.objects.filter(parent__isnull=True, head__isnull=False).select_related("head").order_by("pk").first()
    )
    return root.head if root else None


@rules.predicate
def is_general_manager(user) -> bool:
    """Heads a root department (总经理). One query, cached on the user object (a request's
    pages and panels ask several times)."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_is_general_manager"):
        user._is_general_manager = Department.objects.filter(parent__isnull=True, head=user).exists()
    return user._is_general_manager


@rules.predicate
def heads_a_department(user) -> bool:
    return bool(user.is_authenticated and user.headed_departments.exists())


def headed_paths(user) -> list[str]:
    """Tree paths of the departments `user` heads; one query, cached on the user object."""
    if not hasattr(user, "_headed_paths"):
        user._headed_paths = (
            list(user.headed_departments.values_list("path", flat=True)) if user.is_authenticated else []
        )
    return user._headed_paths


def is_head_of(user, department, *, or_above: bool = False) -> bool:
    """Heads `department` (with or_above: or any department above it in the tree)."""
    if department is None or not user.is_authenticated:
        return False
    if department.head_id == user.pk:
        return True
    return or_above and any(department.path.startswith(path) for path in headed_paths(user))


def team_departments(user) -> list[Department]:
    """The departments a head's team panels cover: those they head, below the root (the
    general manager watches the whole company instead), without one inside another. One
    query, cached on the user object."""
    if not hasattr(user, "_team_departments"):
        rows = []
        if user.is_authenticated:
            rows = list(
                user.headed_departments.filter(parent__isnull=False).only("pk", "code", "name", "path").order_by("path")
            )
        user._team_departments = [d for d in rows if not any(d.path.startswith(o.path) and d is not o for o in rows)]
    return user._team_departments


def team_scope_key(user) -> str:
    """A short stable key of the team a head's panels cover (what a nudge is "once a day" in)."""
    return ",".join(str(d.pk) for d in team_departments(user))


def is_manager_of(user, person) -> bool:
    """`person` reports to `user` directly."""
    return person is not None and user.is_authenticated and person.manager_id == user.pk


# The "how things stand" panels about the whole company: the general manager, ops, admin.
sees_company_overview = is_staff_member & (is_ops | is_admin | is_general_manager)

rules.add_perm("departments.view_org", is_staff_member)
rules.add_perm("departments.view_company_overview", sees_company_overview)
rules.add_perm("departments.edit_org", is_ops | is_admin)
rules.add_perm("departments.import_employees", is_hr | is_admin)
