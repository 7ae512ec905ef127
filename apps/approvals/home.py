"""The home page card of every kind: approvals waiting for me."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.plugins import WorkItem, WorkPanel

from .models import Task
from .registry import kinds
from .templatetags.approvals_tags import duration_short


def my_work(user) -> list[WorkPanel]:
    if not user.is_authenticated:
        return []
    waiting = Task.objects.filter(assignee=user, status=Task.Status.PENDING).select_related("request__proposer")
    first = list(waiting.order_by("created_at", "pk")[:5])
    if not first:
        return []
    labels = {code: k.label for code, k in kinds().items()}
    now = timezone.now()
    return [
        WorkPanel(
            key="approvals.waiting",
            title=_("Waiting for my approval"),
            icon="bi-check2-square",
            count=len(first) if len(first) < 5 else waiting.count(),
            more_url=reverse("approvals:inbox"),
            order=10,
            items=[
                WorkItem(
                    title=t.request.title,
                    url=t.request.get_absolute_url(),
                    detail=f"{labels.get(t.request.kind, t.request.kind)} · {t.request.proposer.name}",
                    badge=duration_short(now - t.created_at),
                    badge_tone="danger" if (now - t.created_at).days > 3 else "secondary",
                )
                for t in first
            ],
        )
    ]


def role_panels(user) -> list[WorkPanel]:
    """For the general manager and ops: how many requests wait, and the ones waiting longest,
    at which stage and for whom."""
    from .selectors import waiting_longest, waiting_summary

    if not user.has_perm("departments.view_company_overview") or not user.has_perm("approvals.view_report"):
        return []
    now = timezone.now()
    counts = waiting_summary(now=now)
    url = reverse("approvals:report")
    return [
        WorkPanel(
            key="approvals-waiting",
            title=_("Approvals waiting longest"),
            icon="bi-hourglass-split",
            order=210,
            more_url=url + "#waiting",
            template="approvals/home_waiting.html",
            data={
                "tiles": [
                    {
                        "label": _("Waiting now"),
                        "n": counts["total"],
                        "url": url + "?older=0#waiting",
                        "tone": "primary",
                    },
                    {
                        "label": _("Over 3 days"),
                        "n": counts["over_3"],
                        "url": url + "?older=3#waiting",
                        "tone": "warning",
                    },
                    {
                        "label": _("Over 7 days"),
                        "n": counts["over_7"],
                        "url": url + "?older=7#waiting",
                        "tone": "danger",
                    },
                ],
                "longest": waiting_longest(5, now=now) if counts["total"] else [],
                # the others may not open every request: they go to the report's list
                "open_requests": user.has_perm("approvals.view_all_requests"),
                "report_url": url + "#waiting",
            },
            empty_text=_("Nothing is waiting."),
        )
    ]
