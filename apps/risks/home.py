"""Home page card: my open risk measures (acceptances to decide are in the approvals inbox)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.plugins import WorkItem, WorkPanel

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
    return panels
