from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.kpis.tests.factories import IndicatorFactory, MeasurementFactory
from apps.risks import services
from apps.risks.models import KeyRiskIndicator, Measure

from .factories import RiskFactory

pytestmark = pytest.mark.django_db

VISIBLE = {
    "gm": {"sales", "secret", "wide", "reported"},
    "ops": {"sales", "secret", "wide", "reported"},
    "ops_head": {"sales", "secret", "wide", "reported"},
    "manager": {"sales", "wide", "reported"},
    "staff": {"sales", "wide", "reported"},
    "admin": {"sales", "wide", "reported"},
    "hr": {"wide"},
    "outsider": {"wide"},
}


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_each_role_sees_exactly_its_risks_in_the_register_and_a_404_for_the_others(org, risks, client_for, role):
    client = client_for(org[role])
    page = client.get(reverse("risks:register")).content.decode()
    for name, risk in risks.items():
        assert (risk.title in page) == (name in VISIBLE[role]), (role, name)
        status = client.get(reverse("risks:detail", args=[risk.code])).status_code
        assert status == (200 if name in VISIBLE[role] else 404), (role, name, status)


def test_anonymous_people_are_sent_to_log_in(risks, client):
    for url in (
        reverse("risks:register"),
        reverse("risks:heat_map"),
        reverse("risks:detail", args=[risks["sales"].code]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 302), ("ops", 302), ("gm", 302), ("staff", 403), ("hr", 404)],
)
def test_who_may_assess_a_risk(org, risks, client_for, role, status):
    """The owning department's heads (the general manager heads them all) and ops assess; staff
    who see the risk are refused (403); who may not see it gets a 404."""
    url = reverse("risks:assess", args=[risks["sales"].code])
    response = client_for(org[role]).post(
        url, {"likelihood": 3, "impact": 4, "residual_likelihood": 2, "residual_impact": 3}
    )
    assert response.status_code == status
    assert risks["sales"].assessments.exists() == (status == 302)


def test_the_risk_page_links_to_its_acceptance_approval_and_the_approval_shows_the_risk(org, risks, client_for):
    from apps.approvals import services as approvals

    risk = risks["sales"]
    services.assess(risk=risk, actor=org["manager"], likelihood=4, impact=4, residual_likelihood=4, residual_impact=4)
    services.set_response(risk=risk, actor=org["manager"], strategy="accept")
    request = approvals.request_for("risks.acceptance", risk.pk)
    page = client_for(org["manager"]).get(risk.get_absolute_url()).content.decode()
    assert request.get_absolute_url() in page
    approval_page = client_for(org["gm"]).get(request.get_absolute_url())
    assert approval_page.status_code == 200 and risk.code in approval_page.content.decode()
    assert client_for(org["hr"]).get(request.get_absolute_url()).status_code == 404  # may not see the risk


def test_a_bad_assessment_keeps_what_was_typed_and_says_why(org, risks, client_for):
    url = reverse("risks:assess", args=[risks["sales"].code])
    response = client_for(org["manager"]).post(
        url, {"likelihood": 2, "impact": 2, "residual_likelihood": 3, "residual_impact": 3, "controls": "我的控制措施"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "我的控制措施" in page
    assert "剩余风险分值不能高于固有风险分值" in page


def test_reporting_a_risk_from_the_form(org, client_for, pinned_today):
    from apps.risks.models import Category, Risk

    client = client_for(org["staff"])
    data = {
        "title": "新风险",
        "category": Category.objects.get(code="it").pk,
        "department": org["sales_dept"].pk,
        "description": "x" * 50,
    }
    response = client.post(reverse("risks:report"), data)
    risk = Risk.objects.get(title="新风险")
    assert response.status_code == 302 and response["Location"] == risk.get_absolute_url()
    assert risk.reported_by == org["staff"] and risk.status == "reported"
    too_long = client.post(reverse("risks:report"), {**data, "title": "长", "description": "x" * 2001})
    assert too_long.status_code == 200 and not Risk.objects.filter(title="长").exists()


def test_a_measure_due_yesterday_is_refused_by_the_form(org, risks, client_for):
    url = reverse("risks:measure_add", args=[risks["sales"].code])
    response = client_for(org["manager"]).post(url, {"title": "m", "owner": org["staff"].pk, "due_date": "2026-11-17"})
    assert response.status_code == 200 and not Measure.objects.exists()
    response = client_for(org["manager"]).post(url, {"title": "m", "owner": org["staff"].pk, "due_date": "2026-11-30"})
    assert response.status_code == 302 and Measure.objects.get().owner == org["staff"]


def test_the_measure_owner_updates_progress_with_evidence_and_others_may_not(org, risks, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    m = services.add_measure(
        risk=risks["sales"],
        actor=org["manager"],
        title="m",
        owner=org["staff"],
        due_date=date(2026, 12, 1),
        today=date(2026, 11, 18),
    )
    url = reverse("risks:measure_update", args=[risks["sales"].code, m.pk])
    assert client_for(org["hr"]).get(url).status_code == 404  # hr cannot see the sales risk
    evidence = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client_for(org["staff"]).post(
        url, {"status": "done", "progress_note": "完成", "evidence": evidence, "seen": "planned"}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.status == "done" and m.completed_at and m.evidence.name.endswith(".pdf")
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client_for(org["staff"]).post(url, {"status": "done", "evidence": bad, "seen": "done"})
    assert response.status_code == 200 and "不接受此类型的文件" in response.content.decode()


def _grow(org, n):
    indicator = IndicatorFactory(department=org["sales_dept"])
    for i in range(1, 13):
        MeasurementFactory(indicator=indicator, year=2026, index=i)
    for i in range(n):
        risk = RiskFactory(department=org["sales_dept"], owner=org["manager"])
        services.assess(
            risk=risk,
            actor=org["manager"],
            likelihood=1 + i % 5,
            impact=1 + (i * 3) % 5,
            residual_likelihood=1,
            residual_impact=1,
        )
        services.add_measure(
            risk=risk,
            actor=org["manager"],
            title=f"m{i}",
            owner=org["staff"],
            due_date=date(2026, 12, 1),
            today=date(2026, 11, 18),
        )
    return indicator


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", ["risks:register", "risks:heat_map"])
def test_register_and_heat_map_queries_do_not_grow_with_risks(org, client_for, pinned_today, name):
    client = client_for(org["manager"])
    _grow(org, 3)
    small = _queries(client, reverse(name))
    _grow(org, 30)
    assert _queries(client, reverse(name)) == small
    assert _queries(client, reverse(name) + "?level=low&status=open&q=风险") <= small + 2


def test_risk_page_queries_do_not_grow_with_assessments_measures_and_indicators(org, client_for, pinned_today):
    client = client_for(org["manager"])
    risk = RiskFactory(department=org["sales_dept"], owner=org["manager"])

    def grow(n):
        for i in range(n):
            services.assess(
                risk=risk, actor=org["manager"], likelihood=3, impact=3, residual_likelihood=2, residual_impact=2
            )
            services.add_measure(
                risk=risk,
                actor=org["manager"],
                title=f"m{i}",
                owner=org["staff"],
                due_date=date(2026, 12, 1),
                today=date(2026, 11, 18),
            )
            services.record_review(
                risk=risk, actor=org["manager"], note="ok", next_review=date(2027, 1, 1), today=date(2026, 11, 18)
            )

    grow(2)
    KeyRiskIndicator.objects.create(
        risk=risk, indicator=IndicatorFactory(department=org["sales_dept"]), comparator="lt", threshold=90
    )
    small = _queries(client, risk.get_absolute_url())
    grow(20)
    assert _queries(client, risk.get_absolute_url()) == small


def test_the_heat_map_counts_each_cell_and_links_to_its_risks(org, client_for, pinned_today):
    risk = RiskFactory(department=org["sales_dept"])
    services.assess(risk=risk, actor=org["manager"], likelihood=4, impact=5, residual_likelihood=2, residual_impact=3)
    page = client_for(org["manager"]).get(reverse("risks:heat_map")).content.decode()
    assert "cell=inherent-4-5" in page and "cell=residual-2-3" in page
    listed = client_for(org["manager"]).get(reverse("risks:register") + "?cell=residual-2-3").content.decode()
    assert risk.title in listed
    empty = client_for(org["manager"]).get(reverse("risks:register") + "?cell=residual-5-5").content.decode()
    assert risk.title not in empty


def test_the_export_lists_what_the_user_sees_with_formulas_neutralised(org, risks, client_for):
    risks["sales"].title = '=HYPERLINK("http://x")'
    risks["sales"].save()
    response = client_for(org["hr"]).get(reverse("risks:export"))
    ws = load_workbook(BytesIO(response.content)).active
    titles = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert titles == ["全公司风险"]  # hr sees only the company-wide risk
    response = client_for(org["manager"]).get(reverse("risks:export"))
    ws = load_workbook(BytesIO(response.content)).active
    cells = {row[1].value: row[1] for row in ws.iter_rows(min_row=2)}
    # kept exactly, typed as text with Excel's quote prefix (apps/core/spreadsheets.py)
    hostile = cells['=HYPERLINK("http://x")']
    assert hostile.data_type == "s" and hostile.quotePrefix
    assert response["Cache-Control"] == "private, no-store"


def test_overdue_measures_remind_the_owner_then_the_manager_once(org, risks):
    import time_machine

    from apps.notifications.models import Notification
    from apps.notifications.reminding import scan_all

    services.add_measure(
        risk=risks["sales"],
        actor=org["manager"],
        title="逾期措施",
        owner=org["staff"],
        due_date=date(2026, 11, 20),
        today=date(2026, 11, 18),
    )
    with time_machine.travel("2026-11-23 09:00 +0800", tick=False):  # Monday: 1 working day late
        from django.utils import timezone

        scan_all(timezone.now(), only="risks.measures")
        scan_all(timezone.now(), only="risks.measures")
    sent = Notification.objects.filter(kind__in=["risks.measure_overdue", "risks.measure_escalated"])
    assert list(sent.values_list("recipient__username", "kind")) == [("staff", "risks.measure_overdue")]
    with time_machine.travel("2026-11-25 09:00 +0800", tick=False):  # 3 working days late: the manager too
        from django.utils import timezone

        scan_all(timezone.now(), only="risks.measures")
        scan_all(timezone.now(), only="risks.measures")
    assert sorted(sent.values_list("recipient__username", "kind")) == [
        ("manager", "risks.measure_escalated"),
        ("staff", "risks.measure_overdue"),
    ]


def test_the_kri_scan_job_warns_for_bound_indicators(org, risks):
    from apps.scheduling.registry import get

    indicator = IndicatorFactory(department=org["sales_dept"])
    KeyRiskIndicator.objects.create(risk=risks["sales"], indicator=indicator, comparator="lt", threshold=90)
    MeasurementFactory(indicator=indicator, year=2026, index=10, value=50)
    from django.utils import timezone

    assert get("risks.kri_scan").func(timezone.now()) == 1
    assert get("risks.kri_scan").func(timezone.now() + timedelta(hours=1)) == 0


def test_linked_regulations_and_processes_show_only_to_those_who_may_see_them(org, risks, client_for):
    from apps.policies.tests.factories import make_published

    open_policy = make_published(org=org).policy
    secret_policy = make_published(org=org, confidentiality="restricted", owning=org["ops_dept"]).policy
    url = reverse("risks:edit", args=[risks["wide"].code])
    ops = client_for(org["ops"])
    form = ops.get(url).content.decode()
    assert open_policy.title in form
    data = {
        "title": "全公司风险",
        "category": risks["wide"].category_id,
        "department": org["ops_group"].pk,
        "company_wide": "on",
        "policies": [open_policy.pk, secret_policy.pk],
    }
    assert ops.post(url, data).status_code == 302
    staff_page = client_for(org["staff"]).get(risks["wide"].get_absolute_url()).content.decode()
    assert open_policy.code in staff_page and secret_policy.code not in staff_page


def _options(html: str, name: str) -> set[int]:
    """The option values of the <select name=name> in a page."""
    import re

    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    return {int(v) for v in re.findall(r'value="(\d+)"', select.group(0))} if select else set()


def _edit_data(risk, org, **links):
    return {
        "title": risk.title,
        "category": risk.category_id,
        "department": risk.department_id,
        "company_wide": "on" if risk.company_wide else "",
        **links,
    }


def test_articles_and_steps_are_offered_for_the_chosen_regulations_and_processes_and_linked(org, risks, client_for):
    from apps.policies.tests.factories import make_published
    from apps.processes.tests.factories import linear_steps, published_process

    version, secret_version = (
        make_published(org=org),
        make_published(org=org, confidentiality="restricted", owning=org["ops_dept"]),
    )
    policy, secret = version.policy, secret_version.policy
    process = published_process(org["sales_dept"], steps=linear_steps(org["sales_dept"], 3, prefix="环节"))
    process.refresh_from_db()
    article = version.nodes.order_by("ordinal").last()
    step = process.current_version.steps.order_by("order")[1]
    risk = risks["sales"]
    manager = client_for(org["manager"])  # head of sales: may edit the risk, may not see `secret`
    edit, links = reverse("risks:edit", args=[risk.code]), reverse("risks:edit_links", args=[risk.code])

    # nothing chosen yet: nothing offered; choosing refreshes the block with their articles and steps
    form_page = manager.get(edit).content.decode()
    assert _options(form_page, "articles") == set() and f'hx-get="{links}"' in form_page
    block = manager.get(links, {"policies": [policy.pk, secret.pk], "processes": [process.pk]}).content.decode()
    assert _options(block, "articles") == set(version.nodes.values_list("pk", flat=True))
    assert _options(block, "steps") == set(process.current_version.steps.values_list("pk", flat=True))
    assert "环节" in block
    secret_nodes = list(secret_version.nodes.values_list("pk", flat=True))

    # a regulation nobody chose is linked through its article; a step links its process
    response = manager.post(edit, _edit_data(risk, org, articles=[article.pk], steps=[step.pk]))
    assert response.status_code == 302
    assert set(risk.articles.all()) == {article} and set(risk.steps.all()) == {step}
    assert set(risk.policies.all()) == {policy} and set(risk.processes.all()) == {process}
    page = client_for(org["staff"]).get(risk.get_absolute_url()).content.decode()
    assert f"{policy.get_absolute_url()}#{article.slug}" in page
    assert f"{process.get_absolute_url()}#step-{step.key}" in page

    # an article the editor may not see is refused with a message, the form keeps what was typed
    refused = manager.post(edit, _edit_data(risk, org, articles=[secret_nodes[0]], title="改过的标题"))
    assert refused.status_code == 200 and "改过的标题" in refused.content.decode()
    assert "choose again" in refused.content.decode() or "重新选择" in refused.content.decode()
    assert set(risk.articles.all()) == {article}

    # ops links the confidential regulation's article; the manager's next save keeps it
    ops = client_for(org["ops"])
    data = _edit_data(risk, org, articles=[article.pk, secret_nodes[0]], steps=[step.pk])
    assert ops.post(edit, data).status_code == 302
    assert manager.post(edit, _edit_data(risk, org, policies=[policy.pk], processes=[process.pk])).status_code == 302
    assert set(risk.articles.values_list("pk", flat=True)) == {secret_nodes[0]}  # the manager removed his
    assert set(risk.policies.all()) == {policy, secret}
    page = manager.get(risk.get_absolute_url()).content.decode()
    assert secret.get_absolute_url() not in page and f'href="{secret.get_absolute_url()}#' not in page


def test_only_those_who_may_edit_a_risk_get_its_link_choices(org, risks, client_for):
    links = lambda risk: reverse("risks:edit_links", args=[risk.code])  # noqa: E731
    assert client_for(org["staff"]).get(links(risks["sales"])).status_code == 403  # sees it, may not edit
    assert client_for(org["staff"]).get(links(risks["secret"])).status_code == 404
    assert client_for(org["manager"]).get(links(risks["sales"])).status_code == 200


def test_risk_page_queries_do_not_grow_with_linked_articles_and_steps(org, client_for, pinned_today):
    from apps.policies.tests.factories import make_published
    from apps.processes.tests.factories import linear_steps, published_process

    client = client_for(org["manager"])
    risk = RiskFactory(department=org["sales_dept"], owner=org["manager"])

    def link(n):
        for _i in range(n):
            version = make_published(org=org)
            policy = version.policy
            process = published_process(org["sales_dept"], steps=linear_steps(org["sales_dept"], 3))
            process.refresh_from_db()
            risk.articles.add(*version.nodes.all())
            risk.steps.add(*process.current_version.steps.all())
            risk.policies.add(policy)
            risk.processes.add(process)

    link(1)
    small = _queries(client, risk.get_absolute_url())
    link(6)
    assert _queries(client, risk.get_absolute_url()) == small
