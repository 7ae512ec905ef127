"""The change request's own status (a mirror of its approval on the engine, changed only
through this machine) and the role helpers the module shares.

The approval itself — department head → operations management → the general manager when
the change is major, with delegation, skips and escalation — is the approvals engine's
flow for kind "processes.change" (apps/processes/approvals.py has the default stages)."""

from apps.approvals.flows import head_of
from apps.core.statemachine import machine
from apps.departments.permissions import general_manager

from .models import ChangeRequest

S = ChangeRequest.Status
KIND = "processes.change"
A_SUBMIT, A_APPROVE, A_REJECT, A_RETURN, A_WITHDRAW = "submit", "approve", "reject", "return", "withdraw"

CHANGE_REQUEST = machine(
    "processes.change_request",
    model="processes.ChangeRequest",
    choices=S,
    initial=S.DRAFT,
    table={
        S.DRAFT: {S.PENDING, S.WITHDRAWN},
        S.PENDING: {S.APPROVED, S.REJECTED, S.RETURNED, S.WITHDRAWN},
        S.RETURNED: {S.PENDING, S.WITHDRAWN},
    },
)


def department_head(dept):
    """The head of `dept`, else of the nearest ancestor that has one."""
    return head_of(dept)


__all__ = ["CHANGE_REQUEST", "KIND", "department_head", "general_manager"]
