"""Home page cards: regulations waiting for my acknowledgement, drafts waiting for my approval."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.plugins import WorkItem, WorkPanel
from apps.departments.permissions import heads_a_department

from .models import PolicyVersion, VersionStatus
from .selectors import policies_needing_ack

SHOWN = 5


def my_work(user) -> list[WorkPanel]:
    panels = []
    pending = list(
        policies_needing_ack(user)
        .select_related("current_version")
        .order_by("-current_version__published_at")[: SHOWN + 1]
    )
    count = len(pending) if len(pending) <= SHOWN else policies_needing_ack(user).count()
    panels.append(
        WorkPanel(
            key="policies-ack",
            title=_("Regulations to read and acknowledge"),
            icon="bi-journal-check",
            order=10,
            items=[
                WorkItem(
                    title=p.title,
                    url=p.get_absolute_url(),
                    detail=f"{p.code} · {p.current_version.label}",
                    badge=_("To acknowledge"),
                    badge_tone="warning",
                )
                for p in pending[:SHOWN]
            ],
            count=count,
            more_url=reverse("policies:list") + "?needs_ack=on",
            empty_text=_("You have acknowledged every regulation that asks you to."),
        )
    )
    approvals = _approvals(user)
    if approvals is not None:
        rows = list(approvals.select_related("policy")[: SHOWN + 1])
        panels.append(
            WorkPanel(
                key="policies-approve",
                title=_("Regulation drafts to approve"),
                icon="bi-pen",
                order=11,
                items=[
                    WorkItem(
                        title=v.title,
                        url=v.get_absolute_url(),
                        detail=f"{v.policy.code} · {v.label}",
                        badge=v.get_status_display(),
                        badge_tone="info",
                    )
                    for v in rows[:SHOWN]
                ],
                count=len(rows) if len(rows) <= SHOWN else approvals.count(),
                empty_text=_("No regulation drafts are waiting for you."),
            )
        )
    return panels


def _approvals(user):
    """Versions whose next step is mine: head of the owning department, or ops. None: not an approver."""
    from apps.accounts.permissions import is_admin, is_ops

    ops = is_ops(user) or is_admin(user)
    heads = heads_a_department(user)
    if not (ops or heads):
        return None
    from django.db.models import Q

    q = Q(status=VersionStatus.IN_REVIEW, policy__owning_department__head=user)
    if ops:
        q |= Q(status=VersionStatus.OPS_REVIEW)
    return PolicyVersion.objects.filter(q).order_by("submitted_at")
