"""The fixed query mix of the search benchmarks, and an in-process timer of the SQL alone
(`manage.py search_bench`): the web figures come from `make bench` (bench.py)."""

from __future__ import annotations

import statistics
import time

QUERY_MIX = [
    ("1 character", "制"),
    ("2 characters", "报销"),
    ("4 characters", "费用预算"),
    ("several words", "报销 发票"),
    ("a question", "报销要谁审批"),
    ("Traditional", "報銷 發票"),
    ("pinyin", "jixiao"),
    ("pinyin initials", "fygl"),
    ("code", "SC-01234"),
    ("article number", "第十条"),
    ("no hit", "量子纠缠"),
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def time_sql(user, raw: str, repeat: int = 30) -> dict:
    """p50/p95 in ms of the results page's two queries (ranked page, counts) and of the
    suggestions' query, run directly on the database."""
    from . import selectors
    from .text import parse_query

    query = parse_query(raw)
    filters = selectors.Filters()
    page, suggest = [], []
    hits = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows, _pool = selectors.ranked_page(user, query, filters, offset=0, limit=20)
        counts = selectors.kind_counts(user, query, filters)
        t1 = time.perf_counter()
        selectors.ranked_page(user, query, filters, offset=0, limit=40, caps=selectors.SUGGEST_CAPS)
        t2 = time.perf_counter()
        page.append((t1 - t0) * 1000)
        suggest.append((t2 - t1) * 1000)
        hits = sum(counts.values())
    return {
        "page_p50": statistics.median(page),
        "page_p95": percentile(page, 95),
        "suggest_p50": statistics.median(suggest),
        "suggest_p95": percentile(suggest, 95),
        "matches": hits,
    }
