"""Home page cards: my returned requests, my open improvement actions (what waits for my
approval is the approvals engine's card)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import is_ops
from apps.core.plugins import WorkItem, WorkPanel

from . import selectors
from .models import ChangeRequest


def my_work(user) -> list[WorkPanel]:
    if not user.is_authenticated:
        return []
    panels = []
    today = timezone.localdate()
    returned = list(
        ChangeRequest.objects.filter(proposer=user, status=ChangeRequest.Status.RETURNED).select_related("process")[:5]
    )
    if returned:
        panels.append(
            WorkPanel(
                key="processes.returned",
                title=_("My process changes returned for revision"),
                icon="bi-arrow-return-left",
                count=len(returned),
                more_url=reverse("processes:cr_list") + "?mine=1",
                order=21,
                items=[
                    WorkItem(
                        title=cr.title,
                        url=cr.get_absolute_url(),
                        detail=cr.process.name,
                        badge=_("returned"),
                        badge_tone="warning",
                    )
                    for cr in returned
                ],
            )
        )
    actions = list(selectors.open_actions_for(user)[:6])
    if actions:
        panels.append(
            WorkPanel(
                key="processes.actions",
                title=_("My process improvement actions"),
                icon="bi-wrench-adjustable",
                count=len(actions),
                more_url=actions[0].review.process.get_absolute_url() + "#reviews",
                order=22,
                items=[
                    WorkItem(
                        title=a.description,
                        url=a.review.process.get_absolute_url() + "#reviews",
                        detail=a.review.process.name,
                        badge=a.due_date.strftime("%Y-%m-%d"),
                        badge_tone="danger" if a.due_date < today else "secondary",
                    )
                    for a in actions
                ],
            )
        )
    if is_ops(user):
        due = selectors.reviews_due(today=today, within_days=14)
        first_due = list(due[:5])
        if first_due:
            panels.append(
                WorkPanel(
                    key="processes.reviews_due",
                    title=_("Process reviews due"),
                    icon="bi-clipboard-check",
                    count=len(first_due) if len(first_due) < 5 else due.count(),
                    more_url=reverse("processes:list") + "?review=30",
                    order=23,
                    items=[
                        WorkItem(
                            title=p.name,
                            url=p.get_absolute_url(),
                            detail=p.department.name,
                            badge=p.next_review_date.strftime("%Y-%m-%d"),
                            badge_tone="danger" if p.next_review_date < today else "warning",
                        )
                        for p in first_due
                    ],
                )
            )
    return panels


def role_panels(user) -> list[WorkPanel]:
    """For the general manager and ops: process reviews overdue and due within 30 days."""
    if not user.has_perm("departments.view_company_overview"):
        return []
    counts = selectors.review_counts(today=timezone.localdate())
    url = reverse("processes:list")
    return [
        WorkPanel(
            key="processes-review-dates",
            title=_("Processes due for review"),
            icon="bi-diagram-3",
            order=221,
            template="processes/home_review.html",
            data={
                "rows": [
                    {"label": _("Overdue"), "n": counts["overdue"], "url": url + "?review=overdue", "tone": "danger"},
                    {
                        "label": _("Due within 30 days"),
                        "n": counts["soon"],
                        "url": url + "?review=30",
                        "tone": "warning",
                    },
                ]
            },
        )
    ]
