"""Accepting a high risk, on the approvals engine (kind "risks.acceptance").

Default flow: the general manager approves (nobody approves their own proposal: when the
general manager proposes it, the engine passes the stage up, as for every kind). Approval marks
the acceptance approved; a rejection or return marks it refused; a withdrawal clears it."""

from django.utils.translation import gettext_lazy as _

from apps.approvals.registry import ApprovalKind, service_hook

DEFAULT_STAGES = [
    {"key": "gm", "name": "总经理审批", "mode": "seq", "approvers": [{"type": "gm"}], "limit_days": 3},
]


def _may_view(user, risk) -> bool:
    from .selectors import visible_risks

    return visible_risks(user).filter(pk=risk.pk).exists()


KINDS = [
    ApprovalKind(
        code="risks.acceptance",
        label=_("Accepting a high risk"),
        model="risks.Risk",
        default_stages=DEFAULT_STAGES,
        summary_template="risks/acceptance_summary.html",
        summary_context=lambda risk, user: {"risk": risk},
        owner_department=lambda risk: risk.department,
        url=lambda risk: risk.get_absolute_url(),
        may_view=_may_view,
        on_approved=service_hook("apps.risks.services.acceptance_approved", "risk", request=False),
        on_rejected=service_hook("apps.risks.services.acceptance_refused", "risk", request=False),
        on_returned=service_hook("apps.risks.services.acceptance_refused", "risk", request=False),
        on_withdrawn=service_hook("apps.risks.services.acceptance_withdrawn", "risk", request=False),
    )
]
