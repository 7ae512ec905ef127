"""Writes the index: the documents of some owners (replacing theirs), or a whole rebuild in
batches. Multi-row INSERTs with tsvector literals built in Python (text.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection, transaction

from . import registry
from .models import SearchDocument
from .registry import Document
from .text import document_vectors

COLUMNS = (
    "source, kind, object_id, owner_id, title, heading, body, url, category, department_id, status, date, "
    "is_current, title_tsv, heading_tsv, tsv"
)
ROW_TEMPLATE = "(" + ", ".join(["%s"] * 13) + ", %s::tsvector, %s::tsvector, %s::tsvector)"


def filter_lexemes(doc: Document, department_paths: dict[int, str]) -> str:
    """Kind, category, status and every department above the document's as lexemes, so a
    filter is one more term in the GIN lookup rather than a scan of every match. Their '#'
    can never start a query word."""
    tags = [f"#{doc.kind}"]
    if doc.category:
        tags.append(f"#c{doc.category}")
    if doc.status:
        tags.append(f"#s{doc.status}")
    path = department_paths.get(doc.department_id or 0, "")
    tags.extend(f"#d{part}" for part in path.strip("/").split("/") if part)
    return " ".join("'" + t.replace("'", "''") + "':1" for t in tags)


def _department_paths() -> dict[int, str]:
    from apps.departments.models import Department

    return dict(Department.objects.values_list("pk", "path"))


def _row(source: str, doc: Document, paths: dict[int, str]) -> tuple:
    vectors = document_vectors(
        title=doc.title if doc.title_is_name else "",
        heading=doc.heading,
        body=doc.body,
        context=doc.context if doc.title_is_name else f"{doc.title} {doc.context}",
        names=doc.names,
    )
    tags = filter_lexemes(doc, paths)

    def join(*parts: str) -> str:
        return " ".join(p for p in parts if p)

    return (
        source,
        doc.kind,
        doc.object_id,
        doc.owner_id,
        doc.title[:300],
        doc.heading[:500],
        doc.body,
        doc.url[:300],
        doc.category[:60],
        doc.department_id,
        doc.status[:20],
        doc.date,
        doc.is_current,
        join(vectors.title, tags),
        join(vectors.heading, tags),
        join(vectors.combined, tags),
    )


def insert(source: str, docs: Iterable[Document], paths: dict[int, str] | None = None) -> int:
    from psycopg2.extras import execute_values

    paths = _department_paths() if paths is None else paths
    rows = [_row(source, doc, paths) for doc in docs]
    if rows:
        with connection.cursor() as cur:
            execute_values(
                cur.cursor,
                f"INSERT INTO search_searchdocument ({COLUMNS}) VALUES %s",
                rows,
                template=ROW_TEMPLATE,
                page_size=500,
            )
    return len(rows)


@transaction.atomic
def index_owners(source_name: str, owner_ids: Iterable[int]) -> int:
    """Replace the documents of these owners (deleted owners simply lose theirs)."""
    ids = sorted({int(i) for i in owner_ids})
    if not ids:
        return 0
    source = registry.source(source_name)
    SearchDocument.objects.filter(source=source_name, owner_id__in=ids).delete()
    return insert(source_name, source.documents(ids))


def rebuild(
    source_names: list[str] | None = None,
    *,
    batch_size: int = 200,
    progress: Callable[[str, int, int, int], None] | None = None,
) -> dict[str, int]:
    """Rebuild the index of these sources (all when None), one transaction per batch of
    owners so a long rebuild never holds one huge transaction and the index stays usable.
    `progress(source, done, total, documents)` after each batch."""
    written: dict[str, int] = {}
    paths = _department_paths()
    # Into an empty index (a new installation, scale data): build the GIN indexes once at
    # the end, which is several times faster than updating them row by row.
    bulk = not SearchDocument.objects.exists()
    if bulk:
        _drop_gin_indexes()
    try:
        for source in registry.sources():
            if source_names and source.name not in source_names:
                continue
            written[source.name] = _rebuild_source(source, paths, batch_size, progress)
    finally:
        if bulk:
            _create_gin_indexes()
    with connection.cursor() as cur:
        cur.execute("ANALYZE search_searchdocument")
    return written


def _rebuild_source(source, paths, batch_size, progress) -> int:
    owner_ids = list(source.owner_ids())
    done = total_docs = 0
    for batch in registry.batched(owner_ids, batch_size):
        with transaction.atomic():
            SearchDocument.objects.filter(source=source.name, owner_id__in=batch).delete()
            total_docs += insert(source.name, source.documents(batch), paths)
        done += len(batch)
        if progress:
            progress(source.name, done, len(owner_ids), total_docs)
    # Owners that are gone lose their documents last, so searching works all along.
    SearchDocument.objects.filter(source=source.name).exclude(owner_id__in=owner_ids).delete()
    return total_docs


def _gin_indexes() -> list:
    from django.contrib.postgres.indexes import GinIndex

    return [i for i in SearchDocument._meta.indexes if isinstance(i, GinIndex)]


def _drop_gin_indexes() -> None:
    with connection.cursor() as cur:
        for index in _gin_indexes():
            cur.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(index.name)}")


def _create_gin_indexes() -> None:
    with connection.schema_editor(atomic=False) as editor:
        for index in _gin_indexes():
            editor.add_index(SearchDocument, index)
