"""The search engine's registry: every app that has something to find provides `search.py`
with `SOURCES = [SearchSource(...)]` (discovered like home.py panels, see core/plugins.py).

A source says how to produce its documents and who may see them. The engine imports no
domain app: it calls these functions and stores what they return."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from apps.core.plugins import app_modules


@dataclass
class Document:
    """One searchable thing. `owner_id` is the object whose visibility decides (a policy for
    its articles); `title` is what the result shows, `heading` its place (制度名 › 第三章 ›
    第十二条), `body` the text snippets come from, `context` text that helps match but is not
    shown (the regulation's name on each of its articles), `names` the text to index in
    pinyin; `title_is_name=False` when the title merely repeats the owner's name (an
    article's regulation), so it does not rank in the title tier. Filters: category (a
    code), department id, status, date; `is_current` is False for superseded versions
    (reached with a filter, ranked after current ones)."""

    kind: str
    object_id: int
    owner_id: int
    title: str
    url: str
    heading: str = ""
    body: str = ""
    context: str = ""
    names: str = ""
    category: str = ""
    department_id: int | None = None
    status: str = ""
    date: date | None = None
    is_current: bool = True
    title_is_name: bool = True  # False: the title only labels the hit (its words count as context)


@dataclass
class SearchSource:
    """name: unique (the app label). kinds: {kind: label} in tab order.
    documents(owner_ids): the documents of these owners (all of them when None), in any order.
    owner_ids(): every owner id, for a full rebuild in batches.
    visible(user): a queryset of the owner ids `user` may see, built on the app's own
    selector (the same rule as its lists), or None when the user sees every one.
    categories() / statuses(): [(value, label)] for the filters."""

    name: str
    kinds: dict[str, str]
    documents: Callable[[list[int] | None], Iterable[Document]]
    owner_ids: Callable[[], Iterable[int]]
    visible: Callable[[object], object]
    categories: Callable[[], list[tuple[str, str]]] = field(default=lambda: [])
    statuses: Callable[[], list[tuple[str, str]]] = field(default=lambda: [])
    order: int = 100


@lru_cache(maxsize=1)
def _sources() -> tuple[SearchSource, ...]:
    found = [source for module in app_modules("search") for source in getattr(module, "SOURCES", [])]
    return tuple(sorted(found, key=lambda s: s.order))


def sources() -> tuple[SearchSource, ...]:
    return _sources()


def source(name: str) -> SearchSource:
    for s in _sources():
        if s.name == name:
            return s
    raise KeyError(name)


def kinds() -> dict[str, str]:
    """Every kind of document and its label, in tab order."""
    return {kind: label for s in _sources() for kind, label in s.kinds.items()}


def source_of_kind(kind: str) -> SearchSource | None:
    return next((s for s in _sources() if kind in s.kinds), None)


def batched(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    batch: list[int] = []
    for i in ids:
        batch.append(i)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
