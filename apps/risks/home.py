"""Home page cards: my open risk measures; for the general manager, acceptances to decide."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.plugins import WorkItem, WorkPanel
from apps.departments.permissions import is_general_manager

from .models import Risk
from .selectors import open_measures_for


def my_work(user) -> list[WorkPanel]:
    panels = []
    today = timezone.localdate()
    measures = list(open_measures_for(user)[:6])
    if measures:
        count = open_measures_for(user).count() if len(measures) > 5 else len(measures)
        panels.append(
            WorkPanel(
                key="risks.measures",
                title=_("Risk measures"),
                icon="bi-shield-check",
                items=[
                    WorkItem(
                        title=m.title,
                        url=reverse("risks:measure_update", args=[m.risk.code, m.pk]),
                        detail=f"{m.risk.code} {m.risk.title}",
                        badge=m.due_date.strftime("%m-%d"),
                        badge_tone="danger" if m.due_date < today else "secondary",
                    )
                    for m in measures[:5]
                ],
                count=count,
                more_url=reverse("risks:register") + f"?owner={user.username}",
                order=70,
            )
        )
    if is_general_manager(user):
        pending = list(Risk.objects.filter(acceptance=Risk.Acceptance.PENDING).order_by("updated_at")[:5])
        if pending:
            panels.append(
                WorkPanel(
                    key="risks.acceptance",
                    title=_("Risk acceptances to decide"),
                    icon="bi-shield-exclamation",
                    items=[
                        WorkItem(
                            title=f"{r.code} {r.title}",
                            url=r.get_absolute_url(),
                            badge=r.get_residual_level_display() or r.get_inherent_level_display(),
                            badge_tone=r.level_tone,
                        )
                        for r in pending
                    ],
                    count=Risk.objects.filter(acceptance=Risk.Acceptance.PENDING).count(),
                    more_url=reverse("risks:register"),
                    order=15,
                )
            )
    return panels
