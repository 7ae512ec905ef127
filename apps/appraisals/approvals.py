"""Appraisal objections on the approvals engine (kind "appraisals.objection").

Default flow (today's rule): HR handles the objection (或签: any HR member or administrator,
never the employee who objects). Approving resolves it with the approver's opinion as the
resolution (a grade change is made on the appraisal page, which approves the same task);
rejecting resolves it with the result unchanged; the employee may withdraw it while open."""

from django.utils.translation import gettext_lazy as _

from apps.approvals.registry import ApprovalKind, service_hook

DEFAULT_STAGES = [
    {
        "key": "hr",
        "name": "人力资源部处理",
        "mode": "any",
        "approvers": [{"type": "role", "role": "hr"}, {"type": "role", "role": "admin"}],
        "limit_days": 5,
    }
]


KINDS = [
    ApprovalKind(
        code="appraisals.objection",
        label=_("Appraisal objection"),
        model="appraisals.Appraisal",
        default_stages=DEFAULT_STAGES,
        summary_template="appraisals/objection_summary.html",
        summary_context=lambda a, user: {"a": a},
        owner_department=lambda a: a.department,
        url=lambda a: a.get_absolute_url(),
        may_view=lambda user, a: user.has_perm("appraisals.view_appraisal", a),
        on_approved=service_hook("apps.appraisals.services.objection_accepted", "appraisal"),
        on_rejected=service_hook("apps.appraisals.services.objection_rejected", "appraisal"),
        on_returned=service_hook("apps.appraisals.services.objection_rejected", "appraisal"),
        on_withdrawn=service_hook("apps.appraisals.services.objection_withdrawn", "appraisal"),
    )
]
