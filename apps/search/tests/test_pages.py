"""The results page and the suggestions: who may, query counts, bad input, what is shown."""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.policies.tests.factories import make_draft, publish
from apps.search.indexing import insert
from apps.search.registry import Document

pytestmark = pytest.mark.django_db
RESULTS = reverse("search:results")
SUGGEST = reverse("search:suggest")


def test_anonymous_is_sent_to_login(client):
    for url in (RESULTS + "?q=报销", SUGGEST + "?q=报销"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_results_page_shows_tabs_highlights_and_links(org, reimbursement, client_for):
    response = client_for(org["staff"]).get(RESULTS, {"q": "發票"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>发票</mark>" in html
    assert "第三章 票据要求 › 第六条" in html
    assert 'href="/policies/FIN-ZD-001/#' in html
    assert "条款" in html  # the Articles tab, in Chinese


def test_results_page_in_english(org, reimbursement, client_for):
    user = org["staff"]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    html = client_for(user).get(RESULTS, {"q": "发票"}).content.decode()
    translation.activate("zh-hans")
    assert "Articles" in html and "Filters" in html


def test_snippets_escape_the_text(org, client_for):
    text = "安全制度\n第一条 页面不得含有<img src=x onerror=alert>之类的脚本代码。"
    publish(
        make_draft(actor=org["ops"], owning_department=org["sales_dept"], text=text),
        head=org["manager"],
        ops=org["ops"],
    )
    html = client_for(org["staff"]).get(RESULTS, {"q": "脚本"}).content.decode()
    assert "&lt;img src=x onerror=alert&gt;" in html and "<img src=x" not in html
    assert "<mark>脚本</mark>" in html


def test_suggestions_are_grouped_by_kind(org, reimbursement, client_for):
    html = client_for(org["staff"]).get(SUGGEST, {"q": "报销"}, HTTP_HX_REQUEST="true").content.decode()
    assert html.index("制度") < html.index("条款")  # the regulation group comes first: its title matched
    assert "<mark>报销</mark>" in html
    assert "?q=%E6%8A%A5%E9%94%80" in html  # "all results" keeps the query
    empty = client_for(org["staff"]).get(SUGGEST, {"q": "没有这个词xyz"}).content.decode()
    assert "没有找到" in empty


@pytest.mark.parametrize(
    "params",
    [
        {"q": "报销", "date_from": "not-a-date"},
        {"q": "报销", "date_from": "2026-05-01", "date_to": "2026-01-01"},
        {"q": "报销", "page": "abc"},
        {"q": "报销", "page": "9999"},
        {"q": "报销", "kind": "nonsense", "department": "x", "status": "??"},
        {"q": "报" * 500},
        {"q": ""},
        {"q": "，。"},
    ],
)
def test_bad_input_gets_a_page_not_an_error(org, reimbursement, client_for, params):
    response = client_for(org["staff"]).get(RESULTS, params)
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_a_bad_date_says_so_and_keeps_searching(org, reimbursement, client_for):
    response = client_for(org["staff"]).get(RESULTS, {"q": "报销", "date_from": "2026-13-45"})
    html = response.content.decode()
    assert "有效日期" in html or "日期" in html
    assert "<mark>报销</mark>" in html


def _many(start: int, count: int, dept_id: int):
    insert(
        "kpis",
        [
            Document(
                kind="indicator",
                object_id=10_000 + i,
                owner_id=10_000 + i,
                title=f"报销及时率{i}",
                url=f"/kpis/{10_000 + i}/",
                body="报销单据按时提交的比例",
                department_id=dept_id,
            )
            for i in range(start, start + count)
        ],
    )


def test_query_count_does_not_grow_with_the_hits(org, reimbursement, client_for, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(org["ops"])  # ops sees every indicator: the fake ones count
    _many(0, 3, org["sales_dept"].pk)
    with CaptureQueriesContext(connection) as few:
        assert client.get(RESULTS, {"q": "报销"}).status_code == 200
    _many(3, 60, org["sales_dept"].pk)
    with CaptureQueriesContext(connection) as many:
        html = client.get(RESULTS, {"q": "报销"}).content.decode()
    assert html.count('class="search-hit') == 20
    assert len(many.captured_queries) == len(few.captured_queries) <= 12


def test_suggestions_query_count_does_not_grow(org, reimbursement, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(org["ops"])
    _many(0, 2, org["sales_dept"].pk)
    with CaptureQueriesContext(connection) as few:
        client.get(SUGGEST, {"q": "报销"})
    _many(2, 40, org["sales_dept"].pk)
    with CaptureQueriesContext(connection) as many:
        client.get(SUGGEST, {"q": "报销"})
    assert len(many.captured_queries) == len(few.captured_queries)
    # a keystroke pays for the search only: not the page's counters (notifications, approvals)
    tables = " ".join(q["sql"] for q in many.captured_queries)
    assert "notifications_notification" not in tables and "approvals_task" not in tables
