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
