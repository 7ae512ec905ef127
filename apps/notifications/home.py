"""Home page "my work": for each reminder source, what it reminds this user about (the same
selection the reminder scan uses, so the portal and the mail agree)."""

from django.utils import timezone

from .reminding import all_sources


def my_work(user) -> list:
    today = timezone.localdate()
    panels = []
    for source in all_sources():
        panel = source.my_work(user, today)
        if panel is not None:
            panels.append(panel)
    return panels
