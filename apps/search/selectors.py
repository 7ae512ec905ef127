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

from django.core.exceptions import EmptyResultSet
from django.db import connection

from . import registry
from .highlight import highlight
from .models import SearchDocument
from .text import Query, parse_query

TITLE_CAP = 100
HEADING_CAP = 100
BODY_CAP = 200
COUNT_CAP = 1000
SNIPPET_CHARS = 110
# Queries of single characters (制, 考) match most of the index: each match costs a row read
# and its tsvector, so they rank a smaller pool and count up to a smaller cap ("100+").
SHORT_CAPS = (50, 50, 100)
SHORT_COUNT_CAP = 100


def is_short(query: Query) -> bool:
    """Only single characters (制, "制 度"): the query class that matches most documents."""
    return bool(query.needles) and all(n.kind == "text" and len(n.value) == 1 for n in query.needles)


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


@dataclass
class Scope:
    """What a user may see under the filters (any kind), as SQL built once per request and
    shared by every tier and count. Each source's visibility rule is its own selector's
    queryset, compiled into a MATERIALIZED CTE: planned and run once per query, not once per
    tier."""

    ctes: list[str]
    cte_params: list
    where: str
    params: list

    def with_clause(self, *more: str) -> str:
        parts = [*self.ctes, *more]
        return ("WITH " + ",\n".join(parts)) if parts else ""


def scope_for(user, filters: Filters) -> Scope:
    ctes, cte_params, allowed, params = [], [], [], []
    for n, source in enumerate(registry.sources()):
        visible = source.visible(user)
        if visible is None:
            allowed.append("source = %s")
            params.append(source.name)
        else:
            try:
                sql, p = visible.query.get_compiler(using=visible.db).as_sql()
            except EmptyResultSet:  # .none(): nothing of this source
                continue
            ctes.append(f"visible_{n} AS MATERIALIZED ({sql})")
            cte_params.extend(p)
            allowed.append(f"(source = %s AND owner_id IN (SELECT * FROM visible_{n}))")  # nosec B608 -- fragments built in this module, values bound
            params.append(source.name)
    where = ["(" + (" OR ".join(allowed) or "FALSE") + ")"]
    if not filters.include_superseded:
        where.append("is_current")
    for column, op, value in (
        ("category", "=", filters.category),
        ("status", "=", filters.status),
        ("date", ">=", filters.date_from),
        ("date", "<=", filters.date_to),
    ):
        if value:
            where.append(f"{column} {op} %s")
            params.append(value)
    return Scope(ctes=ctes, cte_params=cte_params, where=" AND ".join(where), params=params)


TABLE = SearchDocument._meta.db_table


def _subquery(scope: Scope, *, columns: str, field: str, tsquery: str, kind: str, cap: int) -> tuple[str, list]:
    kind_sql = " AND kind = %s" if kind else ""
    sql = f"(SELECT {columns} FROM {TABLE} WHERE {scope.where}{kind_sql} AND {field} @@ %s::tsquery LIMIT {int(cap)})"  # nosec B608 -- table, scope and field from this module, values bound
    return sql, [*scope.params, *([kind] if kind else []), tsquery]


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
    counts: dict[str, int] = field(default_factory=dict)  # per kind, capped at count_cap + 1
    count_cap: int = COUNT_CAP

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def capped(self) -> bool:
        return any(n > self.count_cap for n in self.counts.values())

    def kind_capped(self, kind: str) -> bool:
        return self.counts.get(kind, 0) > self.count_cap


def ranked_page_sql(
    user,
    query: Query,
    filters: Filters,
    *,
    offset: int,
    limit: int,
    caps=(TITLE_CAP, HEADING_CAP, BODY_CAP),
    scope: Scope | None = None,
) -> tuple[str, list]:
    """Tiers (title, heading, body; each first as the exact phrase, then the words in any
    order), each a capped GIN lookup; the pooled candidates ranked; one page of them."""
    scope = scope or scope_for(user, filters)
    tags = filters.tags()
    variants = [(query.phrase_tsquery, 1), (query.tsquery, 0)] if query.phrase_tsquery else [(query.tsquery, 0)]
    parts, params = [], []
    for rank, (field_name, cap) in enumerate((("title_tsv", caps[0]), ("heading_tsv", caps[1]), ("tsv", caps[2]))):
        for tsquery, exact in variants:
            tier = (2 - rank) * 2 + exact + 1  # title exact 6 … body scattered 1
            sql, p = _subquery(
                scope,
                columns=f"id, {tier} AS tier",
                field=field_name,
                tsquery=_with_tags(tsquery, tags),
                kind=filters.kind,
                cap=cap,
            )
            parts.append(sql)
            params.extend(p)
    with_clause = scope.with_clause(
        f"cand AS ({' UNION ALL '.join(parts)})", "best AS (SELECT id, max(tier) AS tier FROM cand GROUP BY id)"
    )
    sql = f"""
        {with_clause}
        SELECT d.id, d.kind, d.object_id, d.owner_id, d.title, d.heading, d.body, d.url, d.status, d.date,
               d.is_current, best.tier, count(*) OVER () AS pool
        FROM best JOIN {TABLE} d ON d.id = best.id
        ORDER BY best.tier DESC, d.is_current DESC, ts_rank(d.tsv, %s::tsquery) DESC, d.id
        LIMIT %s OFFSET %s"""  # nosec B608
    return sql, [*scope.cte_params, *params, query.tsquery, limit, offset]


def ranked_page(
    user,
    query: Query,
    filters: Filters,
    *,
    offset: int,
    limit: int,
    caps=(TITLE_CAP, HEADING_CAP, BODY_CAP),
    scope: Scope | None = None,
) -> tuple[list[dict], int]:
    """The page of ranked candidates and how many candidates there are (one query)."""
    if query.empty:
        return [], 0
    sql, params = ranked_page_sql(user, query, filters, offset=offset, limit=limit, caps=caps, scope=scope)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        columns = [c[0] for c in cur.description]
        rows = [dict(zip(columns, r, strict=True)) for r in cur.fetchall()]
    return rows, (rows[0]["pool"] if rows else 0)


def kind_counts_sql(
    user, query: Query, filters: Filters, *, scope: Scope | None = None, cap: int = COUNT_CAP
) -> tuple[str, list]:
    scope = scope or scope_for(user, filters)
    tags = filters.tags(with_kind=False)
    parts, params = [], []
    for kind in registry.kinds():
        sql, p = _subquery(
            scope,
            columns="kind",
            field="tsv",
            tsquery=_with_tags(query.tsquery, [*tags, f"#{kind}"]),
            kind=kind,
            cap=cap + 1,
        )
        parts.append(sql)
        params.extend(p)
    sql = f"{scope.with_clause()} SELECT kind, count(*) FROM ({' UNION ALL '.join(parts)}) AS m GROUP BY kind"  # nosec B608 -- fragments built in this module, values bound
    return sql, [*scope.cte_params, *params]


def kind_counts(
    user, query: Query, filters: Filters, *, scope: Scope | None = None, cap: int = COUNT_CAP
) -> dict[str, int]:
    """Matches per kind under the filters (but any kind), each counted up to cap + 1: the
    kind is a lexeme too, so each count is one GIN lookup that stops at its cap."""
    if query.empty or not registry.kinds():
        return {}
    sql, params = kind_counts_sql(user, query, filters, scope=scope, cap=cap)
    with connection.cursor() as cur:
        cur.execute(sql, params)
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
    short = is_short(query)
    results = Results(query=query, count_cap=SHORT_COUNT_CAP if short else COUNT_CAP)
    if query.empty:
        return results
    scope = scope_for(user, filters)
    caps = SHORT_CAPS if short else (TITLE_CAP, HEADING_CAP, BODY_CAP)
    rows, results.pool = ranked_page(user, query, filters, offset=offset, limit=limit, scope=scope, caps=caps)
    kinds = registry.kinds()
    results.hits = [_hit(r, query, kinds) for r in rows]
    results.counts = kind_counts(user, query, filters, scope=scope, cap=results.count_cap)
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
