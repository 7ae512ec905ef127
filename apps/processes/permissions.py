"""Who may do what in the process module; used by views and templates alike. Default deny:
a change request someone may not see is a 404 for them."""

import rules

from apps.accounts.permissions import is_admin, is_manager, is_ops, is_staff_member
from apps.approvals.models import Task
from apps.departments.permissions import is_general_manager, is_head_of

from . import workflow as wf
from .models import ChangeRequest, Process


@rules.predicate
def process_in_use(user, process) -> bool:
    return isinstance(process, Process) and process.status == Process.Status.IN_USE


@rules.predicate
def is_proposer(user, cr) -> bool:
    return isinstance(cr, ChangeRequest) and cr.proposer_id == user.pk


@rules.predicate
def is_involved(user, cr) -> bool:
    """Head of the owning department, or a current or past approver of the request (an
    engine task for them, or for whom they stand in)."""
    if not isinstance(cr, ChangeRequest) or not user.is_authenticated:
        return False
    if is_head_of(user, cr.process.department):
        return True
    tasks = Task.objects.filter(request__kind=wf.KIND, request__object_id=cr.pk)
    return tasks.filter(assignee=user).exists() or tasks.filter(principal=user).exists()


@rules.predicate
def is_editable(user, cr) -> bool:
    return isinstance(cr, ChangeRequest) and cr.status in (ChangeRequest.Status.DRAFT, ChangeRequest.Status.RETURNED)


rules.add_perm("processes.view_catalogue", is_staff_member)
rules.add_perm("processes.view_process", is_staff_member)
rules.add_perm("processes.edit_process", is_staff_member & (is_ops | is_admin))
rules.add_perm("processes.propose_change", is_staff_member & process_in_use)
rules.add_perm(
    "processes.view_change_request",
    is_staff_member & (is_proposer | is_ops | is_admin | is_general_manager | is_involved),
)
rules.add_perm("processes.edit_change_request", is_staff_member & is_proposer & is_editable)
rules.add_perm("processes.delegate", is_staff_member & (is_manager | is_ops | is_admin | is_general_manager))
rules.add_perm("processes.record_review", is_staff_member & is_ops)
rules.add_perm("processes.view_report", is_staff_member & (is_ops | is_admin | is_manager))
