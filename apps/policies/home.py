"""Home page card: regulations waiting for my acknowledgement (drafts waiting for my approval
are in the approvals engine's card, with every other kind)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.plugins import WorkItem, WorkPanel

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
    return panels
