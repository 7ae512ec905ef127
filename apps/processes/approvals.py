"""Process change requests on the approvals engine (kind "processes.change").

Default flow (today's chain): head of the process's owning department → operations
management (或签: any member, never the proposer) → the general manager when the change is
major (marked major, or it touches another department's steps)."""

from django.utils.translation import gettext_lazy as _

from apps.approvals.registry import ApprovalKind, service_hook

DEFAULT_STAGES = [
    {"key": "head", "name": "部门负责人审批", "mode": "seq", "approvers": [{"type": "owner_head"}], "limit_days": 3},
    {
        "key": "ops",
        "name": "运营管理部审批",
        "mode": "any",
        "approvers": [{"type": "role", "role": "ops"}],
        "limit_days": 3,
    },
    {
        "key": "gm",
        "name": "总经理审批",
        "mode": "seq",
        "approvers": [{"type": "gm"}],
        "condition": {"type": "major"},
        "limit_days": 3,
    },
]


def _facts(cr) -> dict:
    return {"major": cr.is_major, "crosses": cr.touches_other_departments}


def _summary(cr, user) -> dict:
    from .views_requests import change_request_context

    return change_request_context(cr, user)


def _may_view(user, cr) -> bool:
    return user.has_perm("processes.view_change_request", cr)


KINDS = [
    ApprovalKind(
        code="processes.change",
        label=_("Process change"),
        model="processes.ChangeRequest",
        default_stages=DEFAULT_STAGES,
        summary_template="processes/approval_summary.html",
        summary_context=_summary,
        owner_department=lambda cr: cr.process.department,
        facts=_facts,
        url=lambda cr: cr.process.get_absolute_url(),
        may_view=_may_view,
        on_approved=service_hook("apps.processes.services.on_approved", "cr"),
        on_rejected=service_hook("apps.processes.services.on_rejected", "cr"),
        on_returned=service_hook("apps.processes.services.on_returned", "cr"),
        on_withdrawn=service_hook("apps.processes.services.on_withdrawn", "cr"),
    )
]
