from celery import shared_task


@shared_task(name="search.reindex_owners")
def reindex_owners(source: str, owner_ids: list[int]) -> int:
    from .indexing import index_owners

    return index_owners(source, owner_ids)
