"""The query plan on a table big enough that a sequential scan would be chosen if the GIN
index could not serve the query: 60,000 documents, one term in every one, another in 60."""

import pytest
from django.db import connection

from apps.search import selectors
from apps.search.selectors import Filters
from apps.search.text import parse_query

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_index(org):
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO search_searchdocument (source, kind, object_id, owner_id, title, heading, body, url,
                category, department_id, status, date, is_current, title_tsv, heading_tsv, tsv)
            SELECT 'kpis', 'indicator', 100000 + i, 100000 + i, '指标' || i, '', '', '/x/', '', NULL, 'active',
                   NULL, true, array_to_tsvector(ARRAY['指', '标', '指标', 'k' || (i % 300), '#indicator']),
                   array_to_tsvector(ARRAY['第' || (i % 50) || '条', '第', '条', '#indicator']),
                   array_to_tsvector(ARRAY['制', '度', '制度', '#indicator']
                                     || CASE WHEN i % 1000 = 0 THEN ARRAY['罕', '罕见', '见'] ELSE '{}' END)
            FROM generate_series(1, 60000) AS i
            """
        )
        cur.execute("ANALYZE search_searchdocument")


def plan(sql, params) -> str:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql, params)
        return "\n".join(r[0] for r in cur.fetchall())


def test_rare_term_uses_the_gin_indexes(org, big_index):
    sql, params = selectors.ranked_page_sql(org["ops"], parse_query("罕见"), Filters(), offset=0, limit=20)
    text = plan(sql, params)
    assert "Bitmap Index Scan on search_doc_tsv" in text
    assert "Bitmap Index Scan on search_doc_title_tsv" in text
    assert "Seq Scan on search_searchdocument" not in text
    assert len(selectors.search(org["ops"], "罕见").hits) == 20


def test_a_term_in_every_document_stops_at_the_caps(org, big_index):
    found = selectors.search(org["ops"], "制度")
    assert found.pool == selectors.BODY_CAP  # ranked candidates: capped, not 60,000
    assert found.counts["indicator"] == selectors.COUNT_CAP + 1 and found.capped


def test_a_single_character_ranks_and_counts_a_smaller_sample(org, big_index):
    """One character matches most documents: every match it ranks or counts is a row and a
    tsvector read, so it stops at the smaller caps (and says "100+")."""
    assert selectors.is_short(parse_query("制")) and selectors.is_short(parse_query("制 度"))
    assert not selectors.is_short(parse_query("制度")) and not selectors.is_short(parse_query("k1"))
    found = selectors.search(org["ops"], "制")
    assert found.pool == selectors.SHORT_CAPS[2]
    assert found.counts["indicator"] == selectors.SHORT_COUNT_CAP + 1 and found.capped
    assert found.count_cap == selectors.SHORT_COUNT_CAP and len(found.hits) == 20
