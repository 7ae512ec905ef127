from django.contrib.auth.models import Group
from django.db import transaction

from .models import User
from .roles import Role


def user_set_language(*, user: User, language: str) -> None:
    User.objects.filter(pk=user.pk).update(preferred_language=language)
    user.preferred_language = language


@transaction.atomic
def user_set_roles(*, user: User, roles: list[str]) -> None:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    # The groups come from a data migration; get_or_create keeps roles working where they
    # were deleted (a flushed test database, an over-eager admin) instead of silently dropping them.
    user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
    # Admins manage the portal through Django admin too.
    is_admin = Role.ADMIN in roles
    if user.is_staff != is_admin:
        User.objects.filter(pk=user.pk).update(is_staff=is_admin)
        user.is_staff = is_admin
    if hasattr(user, "_group_names_cache"):
        del user._group_names_cache
