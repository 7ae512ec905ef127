"""Home page "my work": one card listing what the reminders are about for this user, from
every registered reminder source (the same selection the scan mails, so the portal and the
mail agree). Each source costs 1-2 queries."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.plugins import WorkPanel

from .reminding import all_sources

SHOWN = 8


def my_work(user) -> list[WorkPanel]:
    today = timezone.localdate()
    count, items = 0, []
    for source in all_sources():
        n, first = source.my_work(user, today)
        count += n
        items.extend(first)
    if not count:
        return []  # nothing due: no card (the modules' own cards still show their work)
    return [
        WorkPanel(
            key="reminders",
            title=_("Reminders"),
            icon="bi-alarm",
            items=items[:SHOWN],
            count=count,
            more_url=reverse("notifications:list") + "?unread=1",
            empty_text=_("No reminders are due for you."),
            order=5,
        )
    ]
