"""Reports: completion and overdue by department and series, attendance by person; the XLSX
export (formula-like text is neutralised); decision follow-ups keep their back-reference."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.meetings import services
from apps.meetings.documents import safe_cell
from apps.meetings.models import ActionItem, Attendance, DecisionFollowUp

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(org, meetings, today):
    meeting = meetings["open"]
    a = [
        services.action_add(
            actor=org["manager"], meeting=meeting, title=t, owner=org["staff"], due_date=today + timedelta(days=1)
        )
        for t in ("=SUM(A1:A9)", "回款", "对账")
    ]
    services.action_transition(actor=org["staff"], action=a[0], step="done", note="ok")
    ActionItem.objects.filter(pk=a[1].pk).update(due_date=today - timedelta(days=1))
    rows = {r.user_id: r for r in meeting.attendees.all()}
    services.minutes_save(
        actor=org["manager"],
        meeting=meeting,
        summary="",
        notes={},
        attendance={rows[org["staff"].pk].pk: (Attendance.ABSENT, None), rows[org["manager"].pk].pk: ("present", None)},
    )
    return meeting


def test_report_figures(org, data, client_for):
    page = client_for(org["manager"]).get(reverse("meetings:reports"))
    (sales,) = page.context["by_department"]
    assert (sales["label"], sales["total"], sales["finished"], sales["overdue"], sales["rate"]) == (
        "销售部",
        3,
        1,
        1,
        33.3,
    )
    people = {r["name"]: r for r in page.context["attendance"]}
    assert people[org["staff"].name]["rate"] == 0.0 and people[org["manager"].name]["rate"] == 100.0
    assert client_for(org["hr"]).get(reverse("meetings:reports")).context["by_department"] == []


def test_xlsx_export_neutralises_formulas(org, data, client_for):
    response = client_for(org["manager"]).get(reverse("meetings:reports_xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 3
    assert [c.value for c in book.worksheets[0][2]][:5] == ["销售部", 3, 1, 33.3, 1]
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("+86") == "'+86" and safe_cell("@x") == "'@x"
    assert safe_cell("-3") == "'-3" and safe_cell("正常") == "正常" and safe_cell(5) == 5


def test_a_decision_starts_a_regulation_draft_with_a_link_back(org, meetings, client_for):
    decision = services.decision_add(actor=org["manager"], meeting=meetings["open"], text="修订《报销管理制度》")
    client = client_for(org["manager"])
    url = reverse("meetings:follow_up", args=[decision.pk])
    assert client.get(url + "?kind=policy_draft").status_code == 200
    response = client.post(url, {"kind": "policy_draft"})
    assert response.status_code == 302 and response["Location"].startswith("/policies/new/?")
    follow = DecisionFollowUp.objects.get()
    assert follow.decision == decision and follow.target_url == "/policies/new/"
    draft_page = client.get(response["Location"]).content.decode()
    assert (
        "修订《报销管理制度》" in draft_page
        and f"/meetings/m/{meetings['open'].pk}/#decision-{decision.pk}" in draft_page
    )
    page = client.get(reverse("meetings:meeting", args=[meetings["open"].pk])).content.decode()
    assert follow.target_label in page


def test_a_decision_proposes_a_process_change_and_sets_a_target(org, meetings, client_for):
    from apps.kpis.tests.factories import IndicatorFactory
    from apps.processes.tests.factories import published_process

    process = published_process(org["sales_dept"], code="sales-order", name="销售订单流程")
    indicator = IndicatorFactory(code="K-SALES", department=org["sales_dept"])
    decision = services.decision_add(actor=org["manager"], meeting=meetings["open"], text="订单审批改为两级")
    client = client_for(org["manager"])
    url = reverse("meetings:follow_up", args=[decision.pk])
    response = client.post(url, {"kind": "process_change", "code": "SALES-ORDER"})
    assert response["Location"].startswith(reverse("processes:cr_create", args=["sales-order"]))
    assert "订单审批改为两级" in client.get(response["Location"]).content.decode()  # prefilled
    response = client.post(url, {"kind": "indicator_target", "code": "k-sales"})
    assert response["Location"].startswith(reverse("kpis:targets", args=[indicator.pk, 2026]))
    labels = list(DecisionFollowUp.objects.values_list("kind", "target_label"))
    assert labels[0] == ("process_change", process.name)
    assert labels[1][0] == "indicator_target" and labels[1][1].startswith("K-SALES " + indicator.name)


def test_a_follow_up_with_an_unknown_process_saves_nothing(org, meetings, client_for):
    decision = services.decision_add(actor=org["manager"], meeting=meetings["open"], text="优化采购流程")
    response = client_for(org["manager"]).post(
        reverse("meetings:follow_up", args=[decision.pk]), {"kind": "process_change", "code": "NOPE"}
    )
    assert response.status_code == 400 and "NOPE" in response.content.decode()
    assert not DecisionFollowUp.objects.exists()
    assert (
        client_for(org["hr"]).get(reverse("meetings:follow_up", args=[decision.pk]) + "?kind=policy_draft").status_code
        == 404
    )


def test_a_target_follow_up_opens_prefilled_with_indicator_period_and_department(org, meetings, client_for):
    """The indicator an action of the decision links to and the period the meeting falls in are
    offered; the targets page opens on that period with the decision and the way back."""
    from apps.kpis.tests.factories import IndicatorFactory

    indicator = IndicatorFactory(code="K-SAT", department=org["sales_dept"], frequency="quarterly")
    meeting = meetings["open"]
    decision = services.decision_add(actor=org["manager"], meeting=meeting, text="客户满意度目标提高到95%")
    services.action_add(
        actor=org["manager"],
        meeting=meeting,
        decision=decision,
        title="调整满意度目标",
        owner=org["staff"],
        due_date=meeting.date + timedelta(days=7),
        links=[("indicator", "K-SAT")],
    )
    client = client_for(org["ops"])  # sees the meeting and manages indicators
    url = reverse("meetings:follow_up", args=[decision.pk])
    form = client.get(url + "?kind=indicator_target").content.decode()
    quarter = (meeting.date.month - 1) // 3 + 1
    assert 'value="K-SAT"' in form and f'value="{meeting.date.year}-Q{quarter}"' in form
    # a period of another frequency: a clear message, nothing recorded, what was typed kept
    bad = client.post(url, {"kind": "indicator_target", "code": "K-SAT", "period": "2026-03"})
    assert bad.status_code == 200 and 'value="2026-03"' in bad.content.decode()
    assert not DecisionFollowUp.objects.exists()
    response = client.post(
        url, {"kind": "indicator_target", "code": "K-SAT", "period": f"{meeting.date.year}-Q{quarter}"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("kpis:targets", args=[indicator.pk, meeting.date.year]))
    assert f"period={meeting.date.year}-Q{quarter}" in response["Location"]
    follow = DecisionFollowUp.objects.get()
    assert org["sales_dept"].name in follow.target_label
    page = client.get(response["Location"]).content.decode()
    assert 'id="focus-period"' in page and "客户满意度目标提高到95%" in page
    assert decision.get_absolute_url() in page and org["sales_dept"].name in page
    # a link back to another site is dropped
    away = client.get(reverse("kpis:targets", args=[indicator.pk, 2026]) + "?back=https://evil.example/").content
    assert b'href="https://evil.example/"' not in away
