import pytest
from django.contrib.auth.models import Group

from apps.accounts.permissions import is_hr, user_roles
from apps.accounts.roles import Role
from apps.accounts.services import user_set_roles

pytestmark = pytest.mark.django_db


def test_every_role_exists_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_roles_are_assigned_even_if_a_group_was_deleted(make_user):
    Group.objects.filter(name="hr").delete()
    user = make_user(roles=["staff"])
    user_set_roles(user=user, roles=["staff", "hr"])
    assert set(user_roles(user)) == {"staff", "hr"}
    assert is_hr.test(user)


def test_admin_role_grants_django_admin_and_losing_it_takes_it_away(make_user):
    user = make_user(roles=["staff", "admin"])
    assert user.is_staff
    user_set_roles(user=user, roles=["staff"])
    user.refresh_from_db()
    assert not user.is_staff


def test_unknown_roles_are_refused(make_user):
    with pytest.raises(ValueError):
        user_set_roles(user=make_user(), roles=["boss"])
