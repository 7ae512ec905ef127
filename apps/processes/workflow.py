"""The change-request approval machine: ONE transition table, plus who approves each stage.

Chain: owning department head → operations management (any user with role ops) → the
general manager when the change is major. The general manager is the head of the root
department (the department with no parent). A department without a head is approved by
the nearest ancestor's head.

Skips (each recorded as a history line): a stage whose approver is the proposer (nobody
approves their own request), and a stage whose approver already approved this submission
(an approver who is also the next approver does not approve twice).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import is_ops
from apps.departments.models import Department
from apps.departments.permissions import general_manager

from .models import ChangeRequest, Delegation

S = ChangeRequest.Status
A_SUBMIT, A_APPROVE, A_REJECT, A_RETURN, A_WITHDRAW = "submit", "approve", "reject", "return", "withdraw"
NEXT_STAGE = "next-stage"  # target computed from the chain
PROPOSER, APPROVER = "proposer", "approver"


@dataclass(frozen=True)
class Rule:
    target: str
    who: str


TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.DRAFT, A_SUBMIT): Rule(NEXT_STAGE, PROPOSER),
    (S.RETURNED, A_SUBMIT): Rule(NEXT_STAGE, PROPOSER),
    **{(stage, A_APPROVE): Rule(NEXT_STAGE, APPROVER) for stage in (S.PENDING_HEAD, S.PENDING_OPS, S.PENDING_GM)},
    **{(stage, A_REJECT): Rule(S.REJECTED, APPROVER) for stage in (S.PENDING_HEAD, S.PENDING_OPS, S.PENDING_GM)},
    **{(stage, A_RETURN): Rule(S.RETURNED, APPROVER) for stage in (S.PENDING_HEAD, S.PENDING_OPS, S.PENDING_GM)},
    **{
        (stage, A_WITHDRAW): Rule(S.WITHDRAWN, PROPOSER)
        for stage in (S.DRAFT, S.RETURNED, S.PENDING_HEAD, S.PENDING_OPS, S.PENDING_GM)
    },
}

ACTION_LABELS = {
    A_SUBMIT: _("Submit"),
    A_APPROVE: _("Approve"),
    A_REJECT: _("Reject"),
    A_RETURN: _("Return for revision"),
    A_WITHDRAW: _("Withdraw"),
}


STAGE_LABELS = {
    S.PENDING_HEAD: _("Department head approval"),
    S.PENDING_OPS: _("Operations management approval"),
    S.PENDING_GM: _("General manager approval"),
}


def chain(cr: ChangeRequest) -> list[str]:
    stages = [S.PENDING_HEAD, S.PENDING_OPS]
    if cr.is_major:
        stages.append(S.PENDING_GM)
    return stages


def department_head(dept: Department):
    """The head of `dept`, else of the nearest ancestor that has one."""
    if dept.head_id:
        return dept.head
    ids = dept.ancestor_ids()
    heads = dict(Department.objects.filter(pk__in=ids, head__isnull=False).values_list("pk", "head"))
    for pk in reversed(ids):
        if pk in heads:
            return get_user_model().objects.get(pk=heads[pk])
    return None


def stage_approver(cr: ChangeRequest, stage: str):
    """The person a stage belongs to (None for the ops pool)."""
    if stage == S.PENDING_HEAD:
        return department_head(cr.process.department)
    if stage == S.PENDING_GM:
        return general_manager()
    return None


def active_delegate(principal, on_date):
    if principal is None:
        return None
    d = (
        Delegation.objects.filter(
            principal=principal,
            start_date__lte=on_date,
            end_date__gte=on_date,
            cancelled_at__isnull=True,
            delegate__is_active=True,
        )
        .select_related("delegate")
        .order_by("-created_at")
        .first()
    )
    return d.delegate if d else None


def may_decide(cr: ChangeRequest, user) -> bool:
    """Whether `user` is the approver of the request's current stage."""
    if (
        not user.is_authenticated
        or user.pk == cr.proposer_id
        or cr.status not in (S.PENDING_HEAD, S.PENDING_OPS, S.PENDING_GM)
    ):
        return False
    if cr.status == S.PENDING_OPS:
        return is_ops(user)
    return user.pk in (cr.assignee_id, cr.assignee_principal_id)


def allowed_actions(cr: ChangeRequest, user) -> list[str]:
    actions = []
    for (state, action), rule in TRANSITIONS.items():
        if state != cr.status:
            continue
        if rule.who == PROPOSER and user.pk == cr.proposer_id or rule.who == APPROVER and may_decide(cr, user):
            actions.append(action)
    return actions
