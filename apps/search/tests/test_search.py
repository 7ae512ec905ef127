"""The engine end to end on real PostgreSQL: what is found, in which order, by whom."""

import pytest
from django.core.management import call_command

from apps.policies import services as policy_services
from apps.policies.models import Policy, VersionStatus
from apps.policies.selectors import visible_policies
from apps.policies.tests.factories import make_draft, publish
from apps.processes.tests.factories import published_process, step
from apps.search import selectors
from apps.search.models import SearchDocument
from apps.search.selectors import Filters
from apps.search.services import index_now

from .conftest import REIMBURSEMENT

pytestmark = pytest.mark.django_db


def titles(results):
    return [h.title for h in results.hits]


def test_publishing_indexes_the_regulation_and_every_article(org, reimbursement):
    docs = SearchDocument.objects.filter(source="policies", owner_id=reimbursement.policy_id)
    assert docs.filter(kind="policy").count() == 1
    assert docs.filter(kind="article", is_current=True).count() == 10
    article = docs.get(kind="article", title__endswith="第七条")
    assert article.heading == "第三章 票据要求 › 第七条"
    assert article.url == "/policies/FIN-ZD-001/#" + article.url.split("#")[1]


def test_several_words_all_must_match_in_any_order(org, reimbursement):
    for q in ("发票 差旅", "差旅 发票", "差旅　发票"):  # also an ideographic space
        found = selectors.search(org["staff"], q)
        assert [h.title for h in found.hits if h.kind == "article"] == ["费用报销管理制度 第七条"], q
    assert selectors.search(org["staff"], "发票 经济舱").hits == []


def test_one_and_two_character_queries(org, reimbursement):
    one = selectors.search(org["staff"], "票")
    assert {"费用报销管理制度 第六条", "费用报销管理制度 第七条"} <= set(titles(one))
    two = selectors.search(org["staff"], "舱")
    assert titles(two) == ["费用报销管理制度 第九条"]


def test_traditional_query_finds_simplified_text_and_back(org, reimbursement):
    assert "费用报销管理制度 第六条" in titles(selectors.search(org["staff"], "發票"))
    text = REIMBURSEMENT.replace("费用报销管理制度", "差旅管理辦法").replace("发票", "發票")
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"], code="FIN-ZD-009", text=text)
    publish(version, head=org["manager"], ops=org["ops"])
    found = selectors.search(org["staff"], "发票 差旅管理办法")
    assert "差旅管理辦法 第七条" in titles(found)


def test_article_numbers_in_both_forms_link_to_the_anchor(org, reimbursement):
    for q in ("第十条", "第10条", "第 10 条"):
        hits = selectors.search(org["staff"], q).hits
        assert hits[0].title == "费用报销管理制度 第十条", q  # the heading beats a mention in a body
        assert hits[0].url.startswith("/policies/FIN-ZD-001/#")
        assert "费用报销管理制度 第七条" in [h.title for h in hits]  # "按第十条的标准"


def test_codes(org, reimbursement):
    hits = selectors.search(org["staff"], "fin-zd-001").hits
    assert hits[0].kind == "policy" and hits[0].title == "费用报销管理制度（FIN-ZD-001）"
    assert selectors.search(org["staff"], "ＦＩＮ－ＺＤ－００１").hits[0].kind == "policy"


def test_ranking_title_then_heading_then_body(org, reimbursement):
    hits = selectors.search(org["staff"], "报销").hits
    tiers = [h.tier for h in hits]
    assert tiers == sorted(tiers, reverse=True)
    assert hits[0].kind == "policy"  # the title
    heading = [h for h in hits if h.kind == "article" and "报销流程" in h.heading]
    body_only = [h for h in hits if h.kind == "article" and "报销流程" not in h.heading]
    assert heading and body_only
    assert max(hits.index(h) for h in heading) < min(hits.index(h) for h in body_only)


def test_exact_phrase_beats_scattered_words(org):
    text = "审批规则\n第一条 审批完成后方可报销。\n第二条 报销审批由财务部负责。\n第三条 其他事项。"
    publish(
        make_draft(actor=org["ops"], owning_department=org["sales_dept"], text=text),
        head=org["manager"],
        ops=org["ops"],
    )
    q = "报销审批"
    hits = [h for h in selectors.search(org["staff"], q).hits if h.kind == "article"]
    assert [h.title for h in hits] == ["审批规则 第二条", "审批规则 第一条"]


def test_current_version_beats_superseded_which_needs_the_filter(org, reimbursement):
    policy = reimbursement.policy
    draft = policy_services.draft_from_current(policy=policy, actor=org["ops"])
    draft = policy_services.draft_update(
        version=draft,
        actor=org["ops"],
        text=REIMBURSEMENT.replace("经济舱", "高铁二等座"),
        title=draft.title,
        label=draft.label,
        effective_date=None,
        change_summary="改乘高铁",
        ack_scope="none",
    )
    assert titles(selectors.search(org["staff"], "高铁")) == []  # a draft is not findable yet
    publish(draft, head=org["manager"], ops=org["ops"])
    assert titles(selectors.search(org["staff"], "经济舱")) == []
    assert titles(selectors.search(org["staff"], "高铁")) == ["费用报销管理制度 第九条"]
    old = selectors.search(org["staff"], "经济舱", Filters(include_superseded=True)).hits
    assert [(h.title, h.is_current) for h in old] == [("费用报销管理制度（V1）第九条", False)]
    assert "/v/V1/#" in old[0].url
    both = selectors.search(org["staff"], "出差人员", Filters(include_superseded=True)).hits
    assert [h.is_current for h in both] == [True, False]


def test_settings_edit_reindexes_filters(org, reimbursement):
    from apps.policies.models import Category

    category = Category.objects.create(name="财务", code="finance")
    policy = Policy.objects.get(pk=reimbursement.policy_id)
    policy_services.policy_update_settings(policy=policy, actor=org["ops"], category=category)
    found = selectors.search(org["staff"], "发票", Filters(category="finance"))
    assert found.hits and all(h.owner_id == policy.pk for h in found.hits)
    assert selectors.search(org["staff"], "发票", Filters(category="other")).hits == []


def test_filters_kind_department_status_date(org, reimbursement):
    assert {h.kind for h in selectors.search(org["staff"], "报销", Filters(kind="policy")).hits} == {"policy"}
    assert selectors.search(org["staff"], "报销", Filters(department_id=org["root"].pk)).hits  # subtree
    assert selectors.search(org["staff"], "报销", Filters(department_id=org["ops_dept"].pk)).hits == []
    assert selectors.search(org["staff"], "报销", Filters(status=VersionStatus.SUPERSEDED)).hits == []
    day = reimbursement.effective_date
    assert selectors.search(org["staff"], "报销", Filters(date_from=day, date_to=day)).hits
    assert selectors.search(org["staff"], "报销", Filters(date_to=day.replace(year=day.year - 1))).hits == []


def test_pinyin_for_people_processes_and_regulations(org, make_user):
    person = make_user(roles=["staff"], username="zw01", display_name="张伟", department=org["sales_dept"])
    dept = org["sales_dept"]
    process = published_process(dept, name="绩效考核流程", steps=[step("s1", "制定方案", dept)])
    index_now(source="people", owner_ids=[person.pk])
    for q, kind, object_id in (("zhangwei", "person", person.pk), ("zw", "person", person.pk)):
        hits = selectors.search(org["staff"], q).hits
        assert (hits[0].kind, hits[0].object_id) == (kind, object_id), q
    for q in ("kaohe", "jxkh", "khlc", "jixiaokaohe"):
        assert ("process", process.pk) in [(h.kind, h.object_id) for h in selectors.search(org["staff"], q).hits], q
    assert selectors.search(org["staff"], "zhangwei").hits[0].url == person.get_absolute_url()


def test_process_steps_link_to_their_row(org):
    dept = org["sales_dept"]
    process = published_process(
        dept, name="采购流程", steps=[step("s1", "供应商比价", dept, description="至少三家报价")]
    )
    hit = selectors.search(org["staff"], "比价").hits[0]
    assert hit.kind == "step" and hit.url == f"{process.get_absolute_url()}#step-s1"


# --- Confidentiality: exactly what the library's own selector allows -------------------------


def test_restricted_policy_is_never_found_counted_suggested_or_snippeted(org, rnd, reimbursement, restricted):
    for user in (org["staff"], org["outsider"], org["manager"], org["hr"]):
        found = selectors.search(user, "算法")
        assert found.hits == [] and found.counts == {}, user
        assert selectors.suggest(user, "算法")[1] == []
        both = selectors.search(user, "报销")
        assert restricted.policy_id not in {h.owner_id for h in both.hits}
        assert "机密" not in "".join(h.snippet_html for h in both.hits)
    for user in (rnd["member"], rnd["head"], org["ops"], org["admin"]):
        assert selectors.search(user, "算法").hits, user
        assert selectors.suggest(user, "算法")[1], user


def test_results_follow_visible_policies_for_everyone(org, rnd, reimbursement, restricted):
    matching = set(SearchDocument.objects.filter(source="policies").values_list("owner_id", flat=True))
    for user in (*[u for k, u in org.items() if hasattr(u, "username")], rnd["member"], rnd["head"]):
        expected = set(visible_policies(user).filter(pk__in=matching).values_list("pk", flat=True))
        found = selectors.search(user, "制度", Filters(kind="policy"))
        assert {h.owner_id for h in found.hits} == expected, user.username
        assert found.counts.get("policy", 0) == len(expected), user.username


def test_a_draft_is_not_indexed(org):
    make_draft(actor=org["ops"], owning_department=org["sales_dept"], text="草稿制度\n第一条 尚未发布的草稿内容。")
    assert selectors.search(org["ops"], "草稿").hits == []


def test_reindex_command_rebuilds_the_same_index(org, reimbursement, restricted, capsys):
    policies = SearchDocument.objects.filter(source="policies")
    before = sorted(policies.values_list("kind", "object_id", "title", "tsv"))
    SearchDocument.objects.all().delete()
    call_command("reindex_search", "--batch-size", "1")
    assert sorted(policies.values_list("kind", "object_id", "title", "tsv")) == before
    from django.contrib.auth import get_user_model

    active = get_user_model().objects.filter(is_active=True).count()
    assert SearchDocument.objects.filter(kind="person").count() == active
    out = capsys.readouterr().out
    assert "policies" in out and "2/2" in out and "Indexed" in out


@pytest.mark.parametrize("raw", ["'", "\\", "a'b", "&|!()<->:*", "第条", "“", '"', "'报销'", "x:*A", "\x00"])
def test_odd_input_never_breaks_the_query(org, reimbursement, raw):
    selectors.search(org["staff"], raw)
    selectors.suggest(org["staff"], raw)


def test_indicator_edit_is_indexed(org, client_for):
    from apps.kpis.models import Indicator
    from apps.kpis.tests.factories import IndicatorFactory

    indicator = IndicatorFactory(name="回款周期", department=org["sales_dept"])
    index_now(source="kpis", owner_ids=[indicator.pk])
    assert titles(selectors.search(org["ops"], "回款"))
    data = {f.name: getattr(indicator, f.attname) for f in Indicator._meta.concrete_fields if f.editable}
    from apps.kpis.forms import IndicatorForm

    form = IndicatorForm(
        {**{k: v for k, v in data.items() if v is not None}, "name": "现金回收周期"}, instance=indicator
    )
    assert form.is_valid(), form.errors
    from apps.kpis.services import indicator_save

    indicator_save(form=form)
    assert titles(selectors.search(org["ops"], "回款")) == []
    assert titles(selectors.search(org["ops"], "现金回收")) == [f"现金回收周期（{indicator.code}）"]


def test_department_rename_refreshes_its_people_after_commit(org, django_capture_on_commit_callbacks):
    from apps.departments.services import department_update
    from opsportal.celery import app

    index_now(source="people", owner_ids=[org["staff"].pk])
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            department_update(department=org["sales_dept"], name="大客户销售部")
    finally:
        app.conf.task_always_eager = eager
    assert len(callbacks) == 1
    found = {(h.kind, h.object_id) for h in selectors.search(org["staff"], "大客户").hits}
    assert ("person", org["staff"].pk) in found and ("person", org["manager"].pk) in found


def test_nightly_people_job_adds_newcomers_and_drops_leavers(org, make_user):
    from apps.scheduling.runner import run_job

    newcomer = make_user(roles=["staff"], username="newbie", display_name="孙新人", department=org["sales_dept"])
    assert selectors.search(org["staff"], "sunxinren").hits == []
    run_job("search.refresh_people")
    assert selectors.search(org["staff"], "sunxinren").hits[0].object_id == newcomer.pk
    newcomer.is_active = False
    newcomer.save(update_fields=["is_active"])
    run_job("search.refresh_people")
    assert selectors.search(org["staff"], "sunxinren").hits == []


def test_process_edit_and_new_version_are_indexed(org):
    from apps.processes import services as process_services

    dept = org["sales_dept"]
    process = published_process(dept, name="合同审批流程", steps=[step("s1", "法务审查", dept)])
    process_services.process_save(process=process, name="合同会签流程")
    assert selectors.search(org["staff"], "审批流程").hits == []
    assert selectors.search(org["staff"], "会签").hits[0].object_id == process.pk
    process_services.version_publish(
        process=process,
        steps=[step("s1", "财务复核", dept)],
        user=org["ops"],
        effective_date=process.current_version.effective_date,
    )
    assert selectors.search(org["staff"], "法务审查").hits == []
    assert selectors.search(org["staff"], "财务复核").hits[0].kind == "step"


def test_demo_seed_indexes_what_the_modules_made_and_runs_last(org, reimbursement):
    import io

    from apps.core.plugins import app_modules
    from apps.search import demo

    SearchDocument.objects.all().delete()
    demo.seed({"stdout": io.StringIO()})
    assert titles(selectors.search(org["staff"], "发票"))
    ordered = sorted(app_modules("demo"), key=lambda m: bool(getattr(m, "RUN_LAST", False)))
    assert ordered[-1] is demo
