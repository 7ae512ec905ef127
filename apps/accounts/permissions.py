"""Role predicates shared by every app's permissions module: is admin, is HR, is ops, has the
department-head role. Defined once, here; organisation predicates (general manager, head of a
department, manager of a person) are in apps/departments/permissions.py.

Default deny: a permission no module registered is refused by rules' backend, and the
ModelBackend grants only what an admin gave explicitly.
"""

import rules

from .roles import Role


@rules.predicate
def is_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or _in_group(user, Role.ADMIN)))


def _in_group(user, role: str) -> bool:
    # One query per request: rules caches the user's group names on the user object.
    return rules.is_group_member(role).test(user)


def role_predicate(role: str):
    @rules.predicate(name=f"has_role_{role}")
    def has_role(user) -> bool:
        return bool(user.is_authenticated and user.is_active and _in_group(user, role))

    return has_role


is_staff_member = rules.is_authenticated & rules.is_active
is_manager = role_predicate(Role.MANAGER)
is_hr = role_predicate(Role.HR)
is_ops = role_predicate(Role.OPS)


def users_with_role(role: str, *, active: bool = True):
    """The people holding `role`, active ones only unless `active=False` (the queryset form of
    the predicates above)."""
    from django.contrib.auth import get_user_model

    qs = get_user_model().objects.filter(groups__name=role)
    return qs.filter(is_active=True) if active else qs


def user_roles(user) -> list[str]:
    """The role codes of a user, for display and for tests."""
    if not user.is_authenticated:
        return []
    names = set(user.groups.values_list("name", flat=True))
    return [r for r in Role.values if r in names]
