"""How domain services keep the index current: `index_now` in their own transaction (the
index never disagrees with what was committed), or `index_on_commit` for wide changes (a
department renamed touches everyone in it) which a Celery task does after the commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction


def index_now(*, source: str, owner_ids: Iterable[int]) -> int:
    from .indexing import index_owners

    return index_owners(source, owner_ids)


def index_on_commit(*, source: str, owner_ids: Iterable[int]) -> None:
    ids = sorted({int(i) for i in owner_ids})
    if not ids:
        return

    def send():
        from .tasks import reindex_owners

        reindex_owners.delay(source, ids)

    transaction.on_commit(send)
