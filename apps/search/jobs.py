"""Scheduled jobs of search, with their schedule (found by apps.scheduling.registry; the beat
row follows the declaration, apps/scheduling/beat.py).

People change in places no service of ours sees (Django admin, roles, leaving): their
documents are rebuilt every night, which also removes those who left."""

from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job

from .indexing import rebuild


# 03:30, a quiet hour.
@job(
    "search.refresh_people",
    _("Rebuild the search documents of people (names, positions, departments)."),
    schedule="30 3 * * *",
)
def refresh_people(now) -> int:
    return rebuild(["people"], batch_size=1000).get("people", 0)
