"""Reading the index: results, counts and suggestions, all behind the sources' visibility.

Ranking without touching every match. A one- or two-character query can match half of
100,000 articles; ranking all of them is what makes a naive search slow. Instead the
candidates come in tiers, each capped: the title matches, the heading matches, the body
matches, each first as the exact phrase typed and then as the words in any order. Every
tier is one GIN lookup that stops at its cap; only the pooled candidates (a few hundred at
most) are ranked (tier, current before superseded, ts_rank). Counts per kind are capped the
same way ("1,000+"), and filters are lexemes in the same GIN lookup (indexing.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value

from . import registry
from .highlight import highlight
from .models import SearchDocument
from .text import Query, parse_query

TITLE_CAP = 100
HEADING_CAP = 100
BODY_CAP = 200
COUNT_CAP = 1000
SNIPPET_CHARS = 110


class Matches(Func):
    """`field @@ 'query'::tsquery` as a boolean expression to filter on."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, field_name: str, tsquery: str):
        super().__init__(F(field_name), Func(Value(tsquery), template="%(expressions)s::tsquery"))


@dataclass
class Filters:
    kind: str = ""
    category: str = ""
    department_id: int | None = None
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    include_superseded: bool = False

    def tags(self, *, with_kind: bool = True) -> list[str]:
        tags = []
        if with_kind and self.kind:
            tags.append(f"#{self.kind}")
        if self.category:
            tags.append(f"#c{self.category}")
        if self.status:
            tags.append(f"#s{self.status}")
        if self.department_id:
            tags.append(f"#d{self.department_id}")
        return tags


def _with_tags(tsquery: str, tags: list[str]) -> str:
    return " & ".join([f"({tsquery})"] + ["'" + t.replace("'", "''") + "'" for t in tags])


def visibility_q(user) -> Q:
    """Documents `user` may know exist: each source's own rule (its selector) on its owners."""
    allowed = Q(pk__in=[])
    for source in registry.sources():
        visible = source.visible(user)
        if visible is None:
            allowed |= Q(source=source.name)
        else:
            allowed |= Q(source=source.name, owner_id__in=visible)
    return allowed


def _base(user, filters: Filters, *, with_kind: bool = True) -> QuerySet:
    qs = SearchDocument.objects.filter(visibility_q(user))
    if with_kind and filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if not filters.include_superseded:
        qs = qs.filter(is_current=True)
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    return qs.order_by()


def _sql(qs: QuerySet) -> tuple[str, tuple]:
    return qs.query.get_compiler(using=qs.db).as_sql()


@dataclass
class Hit:
    kind: str
    object_id: int
    owner_id: int
    tier: int
    kind_label: str
    title: str
    heading: str
    url: str
    status: str
    date: date | None
    is_current: bool
    title_html: str = ""
    snippet_html: str = ""


@dataclass
class Results:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    pool: int = 0  # ranked candidates (what pagination runs over)
    counts: dict[str, int] = field(default_factory=dict)  # per kind, capped at COUNT_CAP + 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def capped(self) -> bool:
        return any(n > COUNT_CAP for n in self.counts.values())


def _tiers(query: Query, base: QuerySet, tags: list[str], caps: tuple[int, int, int]) -> QuerySet | None:
    variants = [(query.phrase_tsquery, 1), (query.tsquery, 0)] if query.phrase_tsquery else [(query.tsquery, 0)]
    parts = []
    for rank, (field_name, cap) in enumerate((("title_tsv", caps[0]), ("heading_tsv", caps[1]), ("tsv", caps[2]))):
        for tsquery, exact in variants:
            tier = (2 - rank) * 2 + exact + 1  # title exact 6 … body scattered 1
            parts.append(
                base.filter(Matches(field_name, _with_tags(tsquery, tags)))
                .annotate(tier=Value(tier))
                .values("id", "tier")[:cap]
            )
    return parts[0].union(*parts[1:], all=True) if parts else None


def ranked_page_sql(
    user, query: Query, filters: Filters, *, offset: int, limit: int, caps=(TITLE_CAP, HEADING_CAP, BODY_CAP)
) -> tuple[str, tuple]:
    union = _tiers(query, _base(user, filters), filters.tags(), caps)
    inner, params = _sql(union)
    sql = f"""
        WITH cand AS ({inner}),
             best AS (SELECT id, max(tier) AS tier FROM cand GROUP BY id)
        SELECT d.id, d.kind, d.object_id, d.owner_id, d.title, d.heading, d.body, d.url, d.status, d.date,
               d.is_current, best.tier, count(*) OVER () AS pool
        FROM best JOIN search_searchdocument d ON d.id = best.id
        ORDER BY best.tier DESC, d.is_current DESC, ts_rank(d.tsv, %s::tsquery) DESC, d.id
        LIMIT %s OFFSET %s"""
    return sql, (*params, query.tsquery, limit, offset)


def ranked_page(
    user, query: Query, filters: Filters, *, offset: int, limit: int, caps=(TITLE_CAP, HEADING_CAP, BODY_CAP)
) -> tuple[list[dict], int]:
    """The page of ranked candidates and how many candidates there are (one query)."""
    if query.empty:
        return [], 0
    sql, params = ranked_page_sql(user, query, filters, offset=offset, limit=limit, caps=caps)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        columns = [c[0] for c in cur.description]
        rows = [dict(zip(columns, r, strict=True)) for r in cur.fetchall()]
    return rows, (rows[0]["pool"] if rows else 0)


def kind_counts(user, query: Query, filters: Filters) -> dict[str, int]:
    """Matches per kind under the filters (but any kind), each counted up to COUNT_CAP + 1."""
    if query.empty:
        return {}
    base = _base(user, filters, with_kind=False)
    tags = filters.tags(with_kind=False)
    parts = [
        base.filter(Matches("tsv", _with_tags(query.tsquery, [*tags, f"#{kind}"])), kind=kind).values("kind")[
            : COUNT_CAP + 1
        ]
        for kind in registry.kinds()
    ]
    if not parts:
        return {}
    inner, params = _sql(parts[0].union(*parts[1:], all=True))
    with connection.cursor() as cur:
        cur.execute(f"SELECT kind, count(*) FROM ({inner}) AS m GROUP BY kind", params)
        found = dict(cur.fetchall())
    return {kind: found[kind] for kind in registry.kinds() if found.get(kind)}


def _hit(row: dict, query: Query, kinds: dict[str, str]) -> Hit:
    return Hit(
        kind=row["kind"],
        object_id=row["object_id"],
        owner_id=row["owner_id"],
        tier=row["tier"],
        kind_label=kinds.get(row["kind"], row["kind"]),
        title=row["title"],
        heading=row["heading"],
        url=row["url"],
        status=row["status"],
        date=row["date"],
        is_current=row["is_current"],
        title_html=highlight(row["title"], query.needles),
        snippet_html=highlight(row["body"], query.needles, window=SNIPPET_CHARS) if row["body"] else "",
    )


def search(user, raw: str, filters: Filters | None = None, *, offset: int = 0, limit: int = 20) -> Results:
    filters = filters or Filters()
    query = parse_query(raw)
    results = Results(query=query)
    if query.empty:
        return results
    rows, results.pool = ranked_page(user, query, filters, offset=offset, limit=limit)
    kinds = registry.kinds()
    results.hits = [_hit(r, query, kinds) for r in rows]
    results.counts = kind_counts(user, query, filters)
    return results


SUGGEST_CAPS = (20, 20, 30)


def suggest(user, raw: str, *, per_kind: int = 3, kinds_shown: int = 4) -> tuple[Query, list[tuple[str, list[Hit]]]]:
    """The best few hits of each kind for the top bar, grouped in the order of their best hit."""
    query = parse_query(raw)
    if query.empty:
        return query, []
    rows, _pool = ranked_page(user, query, Filters(), offset=0, limit=40, caps=SUGGEST_CAPS)
    labels = registry.kinds()
    groups: dict[str, list[Hit]] = {}
    for row in rows:
        bucket = groups.setdefault(row["kind"], [])
        if len(bucket) < per_kind:
            bucket.append(_hit(row, query, labels))
    return query, [(labels.get(k, k), hits) for k, hits in list(groups.items())[:kinds_shown]]
