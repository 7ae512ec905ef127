"""Who may see and do what in the approvals engine. Default deny: a request someone may
not see is a 404 for them."""

import rules

from apps.accounts.permissions import is_admin, is_ops, is_staff_member
from apps.departments.permissions import is_general_manager

from .models import Request, Task
from .registry import kind_for


@rules.predicate
def is_proposer(user, req) -> bool:
    return isinstance(req, Request) and req.proposer_id == user.pk


@rules.predicate
def has_task(user, req) -> bool:
    return isinstance(req, Request) and (
        Task.objects.filter(request=req, assignee=user).exists()
        or Task.objects.filter(request=req, principal=user).exists()
    )


@rules.predicate
def kind_allows(user, req) -> bool:
    if not isinstance(req, Request):
        return False
    kind = kind_for(req.kind)
    if kind is None:
        return False
    try:
        obj = kind.get_object(req.object_id)
    except kind.model_class().DoesNotExist:
        return False
    return bool(kind.may_view(user, obj))


rules.add_perm("approvals.view_inbox", is_staff_member)
# The general manager oversees every request (the home page lists those waiting longest).
sees_every_request = is_admin | is_general_manager
rules.add_perm("approvals.view_all_requests", is_staff_member & sees_every_request)
rules.add_perm("approvals.view_request", is_staff_member & (is_proposer | has_task | sees_every_request | kind_allows))
rules.add_perm("approvals.edit_flows", is_staff_member & is_admin)
rules.add_perm("approvals.view_report", is_staff_member & (is_admin | is_ops | is_general_manager))
rules.add_perm("approvals.delegate", is_staff_member)
