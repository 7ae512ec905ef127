"""Training plans on the approvals engine (kind "training.plan").

Default flow: HR reviews (或签: any HR member, never the proposer), then the general manager
approves when the plan's budget is above 50,000 yuan. Approval lets sessions be scheduled;
a return or rejection puts the plan back into draft for its author to revise."""

from django.utils.translation import gettext_lazy as _

from apps.approvals.registry import ApprovalKind, service_hook

DEFAULT_STAGES = [
    {
        "key": "hr",
        "name": "人力资源部审核",
        "mode": "any",
        "approvers": [{"type": "role", "role": "hr"}],
        "limit_days": 3,
    },
    {
        "key": "gm",
        "name": "总经理审批",
        "mode": "seq",
        "approvers": [{"type": "gm"}],
        "condition": {"type": "above", "field": "budget", "value": 50000},
        "limit_days": 3,
    },
]


def _facts(plan) -> dict:
    from django.db.models import Sum

    budget = plan.courses.aggregate(total=Sum("budget"))["total"] or 0
    return {"budget": float(budget), "crosses": plan.department_id is None}


def _may_view(user, plan) -> bool:
    from .selectors import visible_plans

    return visible_plans(user).filter(pk=plan.pk).exists()


KINDS = [
    ApprovalKind(
        code="training.plan",
        label=_("Training plan"),
        model="training.Plan",
        default_stages=DEFAULT_STAGES,
        summary_template="training/plan_summary.html",
        summary_context=lambda plan, user: {"plan": plan, "courses": list(plan.courses.select_related("trainer"))},
        owner_department=lambda plan: plan.department,
        facts=_facts,
        fields={"budget": _("Budget (yuan)")},
        url=lambda plan: plan.get_absolute_url(),
        may_view=_may_view,
        on_approved=service_hook("apps.training.services.approve_plan", "plan", request=False, actor=False),
        on_rejected=service_hook("apps.training.services.return_plan", "plan", request=False, actor=False),
        on_returned=service_hook("apps.training.services.return_plan", "plan", request=False, actor=False),
        on_withdrawn=service_hook("apps.training.services.return_plan", "plan", request=False, actor=False),
        on_resubmitted=service_hook("apps.training.services.mark_plan_pending", "plan", request=False, actor=False),
    )
]
