"""The 404/403 rule of apps/core/permissions.py, with real users and real rules."""

import pytest
import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from apps.core.permissions import allowed_or_403, require_perm, visible_or_404


class Thing:
    def __init__(self, owner, shared=False):
        self.owner, self.shared = owner, shared


@pytest.fixture
def thing_rules():
    sees = rules.predicate(lambda user, thing: thing.shared or thing.owner == user)
    owns = rules.predicate(lambda user, thing: thing.owner == user)
    rules.add_perm("test.view_thing", sees)
    rules.add_perm("test.change_thing", owns)
    rules.add_perm("test.open_page", rules.is_group_member("ops"))
    yield
    for name in ("test.view_thing", "test.change_thing", "test.open_page"):
        rules.remove_perm(name)


@pytest.mark.django_db
def test_what_a_user_may_not_see_is_404_and_what_they_see_but_may_not_change_is_403(org, thing_rules):
    staff, manager = org["staff"], org["manager"]
    private, shared = Thing(manager), Thing(manager, shared=True)
    assert visible_or_404(manager, "test.view_thing", private) is private
    with pytest.raises(Http404):
        visible_or_404(staff, "test.view_thing", private)
    with pytest.raises(Http404):
        visible_or_404(staff, "test.view_thing", None)  # a missing one looks the same
    with pytest.raises(Http404):
        allowed_or_403(staff, "test.change_thing", private, visible="test.view_thing")
    with pytest.raises(PermissionDenied):
        allowed_or_403(staff, "test.change_thing", shared, visible="test.view_thing")
    assert allowed_or_403(manager, "test.change_thing", shared, visible="test.view_thing") is shared


@pytest.mark.django_db
def test_a_page_everybody_can_find_answers_403_without_the_permission(org, thing_rules):
    view = require_perm("test.open_page")(lambda request: "page")
    request = RequestFactory().get("/x/")
    request.user = org["ops"]
    assert view(request) == "page"
    request.user = org["staff"]
    with pytest.raises(PermissionDenied):
        view(request)
