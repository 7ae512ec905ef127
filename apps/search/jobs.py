"""Scheduled jobs of search (found by apps.scheduling.registry).

People change in places no service of ours sees (Django admin, roles, leaving): their
documents are rebuilt every night, which also removes those who left."""

from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job

from .indexing import rebuild


@job("search.refresh_people", _("Rebuild the search documents of people (names, positions, departments)."))
def refresh_people(now) -> int:
    return rebuild(["people"], batch_size=1000).get("people", 0)
