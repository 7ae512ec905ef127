"""Regulation drafts on the approvals engine (kind "policies.draft").

Default flow (today's chain): the head of the owning department, then operations management
(或签: any member). Four eyes, for every flow an administrator may configure: the draft's
author never approves it (replaced like the proposer, by the next person up), and every stage
needs someone who has not approved this submission yet (the department's approver cannot
give the operations approval too). The engine's decision publishes the version on its
effective date (at once when that has come); a return, rejection or withdrawal makes it a
draft again."""

from django.utils.translation import gettext_lazy as _

from apps.approvals.registry import ApprovalKind, service_hook

DEFAULT_STAGES = [
    {
        "key": "head",
        "name": "归口部门负责人审批",
        "mode": "seq",
        "approvers": [{"type": "owner_head"}],
        "limit_days": 3,
    },
    {
        "key": "ops",
        "name": "运营管理部审批",
        "mode": "any",
        "approvers": [{"type": "role", "role": "ops"}],
        "limit_days": 3,
    },
]


def _summary(version, user) -> dict:
    from .diffing import diff_articles, render_inline_html
    from .selectors import version_articles

    policy = version.policy
    current = policy.current_version if policy.current_version_id != version.pk else None
    changes = []
    if current is not None:
        changes = [
            c for c in diff_articles(version_articles(current), version_articles(version)) if c.kind != "unchanged"
        ]
        for change in changes:
            change.html = render_inline_html(change.segments) if change.segments else ""
    return {
        "version": version,
        "policy": policy,
        "current": current,
        "changes": changes[:40],
        "more": len(changes) > 40,
    }


def _may_view(user, version) -> bool:
    from .selectors import can_see_drafts, visible_policies

    policy = version.policy
    return visible_policies(user).filter(pk=policy.pk).exists() and can_see_drafts(user, policy)


KINDS = [
    ApprovalKind(
        code="policies.draft",
        label=_("Regulation draft"),
        model="policies.PolicyVersion",
        default_stages=DEFAULT_STAGES,
        summary_template="policies/approval_summary.html",
        summary_context=_summary,
        owner_department=lambda version: version.policy.owning_department,
        facts=lambda version: {"major": version.policy.current_version_id is None or bool(version.replaces.exists())},
        url=lambda version: version.get_absolute_url(),
        may_view=_may_view,
        excluded=lambda version: {version.created_by_id},
        distinct_approvers=True,
        on_approved=service_hook("apps.policies.services.on_approved", "version"),
        on_rejected=service_hook("apps.policies.services.on_sent_back", "version"),
        on_returned=service_hook("apps.policies.services.on_sent_back", "version"),
        on_withdrawn=service_hook("apps.policies.services.on_sent_back", "version"),
    )
]
