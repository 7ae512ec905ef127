"""The engine's pages: who may see them (404 for a request one may not know of), what they
show, the operations through the page, and query counts that do not grow with data."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .. import services
from ..models import Request, Task
from .conftest import user

pytestmark = pytest.mark.django_db
TWO_STAGES = [
    {"name": "部门负责人", "mode": "seq", "approvers": [{"type": "proposer_head"}], "limit_days": 3},
    {"name": "会签", "mode": "all", "approvers": [{"type": "role", "role": "ops"}]},
    {"name": "抄送人事", "mode": "cc", "approvers": [{"type": "role", "role": "hr"}]},
]


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


@pytest.fixture
def running(org, use_flow, propose):
    use_flow(TWO_STAGES)
    return propose()


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 200), ("manager", 200), ("ops", 404), ("admin", 200), ("outsider", 404), ("hr", 404), (None, 302)],
)
def test_request_page_permissions(org, client_for, running, who, status):
    response = client_for(org[who] if who else None).get(running.get_absolute_url())
    assert response.status_code == status


def test_unknown_request_is_404(org, client_for):
    assert client_for(org["admin"]).get(reverse("approvals:request", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("url_name", "allowed", "refused"),
    [
        ("approvals:inbox", ["staff", "hr", "admin"], []),
        ("approvals:delegations", ["staff", "manager"], []),
        ("approvals:flows", ["admin"], ["staff", "manager", "ops", "hr"]),
        ("approvals:report", ["admin", "ops"], ["staff", "manager", "hr"]),
    ],
)
def test_page_permissions(org, client_for, memo_kind, url_name, allowed, refused):
    url = reverse(url_name)
    for who in allowed:
        assert client_for(org[who]).get(url).status_code == 200, who
    for who in refused:
        assert client_for(org[who]).get(url).status_code == 403, who
    assert client_for(None).get(url).status_code == 302


def test_flow_editor_permission(org, client_for, memo_kind):
    url = reverse("approvals:flow_edit", args=["test.memo"])
    assert client_for(org["admin"]).get(url).status_code == 200
    assert client_for(org["manager"]).get(url).status_code == 403
    assert client_for(org["admin"]).get(reverse("approvals:flow_edit", args=["nope"])).status_code == 404


def test_approver_decides_on_the_request_page(org, client_for, running):
    client = client_for(org["manager"])
    page = client.get(running.get_absolute_url())
    assert "部门负责人" in page.content.decode() and org["manager"].name in page.content.decode()
    response = client.post(
        reverse("approvals:act", args=[running.pk]),
        {"operation": "approve", "opinion": "同意", "seen_version": running.version},
    )
    assert response.status_code == 302
    assert sorted(
        Task.objects.filter(request=running, status="pending").values_list("assignee__username", flat=True)
    ) == [
        "ops",
        "opshead",
    ]
    # The same click again (a stale page): refused with a message, nothing recorded.
    response = client.post(
        reverse("approvals:act", args=[running.pk]),
        {"operation": "approve", "opinion": "同意", "seen_version": running.version},
        follow=True,
    )
    assert (
        "changed meanwhile" in response.content.decode()
        or "已被" in response.content.decode()
        or "期间" in response.content.decode()
    )
    assert running.events.filter(operation="approve").count() == 1


def test_reject_without_opinion_keeps_the_request(org, client_for, running):
    response = client_for(org["manager"]).post(
        reverse("approvals:act", args=[running.pk]),
        {"operation": "reject", "opinion": "", "seen_version": running.version},
        follow=True,
    )
    assert response.status_code == 200
    assert Request.objects.get(pk=running.pk).status == "pending"


def test_transfer_to_an_unknown_person_says_so(org, client_for, running):
    response = client_for(org["manager"]).post(
        reverse("approvals:act", args=[running.pk]),
        {"operation": "transfer", "person": "nobody-here", "seen_version": running.version},
        follow=True,
    )
    assert response.status_code == 200
    assert Task.objects.get(request=running, status="pending").assignee == org["manager"]


def test_transfer_through_the_page(org, client_for, running):
    client_for(org["manager"]).post(
        reverse("approvals:act", args=[running.pk]),
        {
            "operation": "transfer",
            "person": org["gm"].username,
            "opinion": "请总经理定",
            "seen_version": running.version,
        },
    )
    assert Task.objects.get(request=running, status="pending").assignee == org["gm"]


def test_attachment_download_follows_the_request_permission(org, client_for, running):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client_for(org["staff"]).post(
        reverse("approvals:act", args=[running.pk]),
        {"operation": "comment", "opinion": "附件", "files": SimpleUploadedFile("a.txt", b"hello")},
    )
    attachment = running.events.get(operation="comment").attachments.get()
    url = reverse("approvals:attachment", args=[attachment.pk])
    assert client_for(org["manager"]).get(url).status_code == 200
    assert client_for(org["outsider"]).get(url).status_code == 404


def test_inbox_tabs(org, client_for, running, propose):
    services.act(request=running, actor=org["manager"], operation="approve")
    other = propose(title="另一个申请")
    manager = client_for(org["manager"])
    waiting = manager.get(reverse("approvals:inbox")).content.decode()
    assert "另一个申请" in waiting
    done = manager.get(reverse("approvals:inbox") + "?tab=done").content.decode()
    assert running.title in done and "另一个申请" not in done
    mine = client_for(org["staff"]).get(reverse("approvals:inbox") + "?tab=mine").content.decode()
    assert "另一个申请" in mine
    for who in ("ops", "ops_head"):
        services.act(request=running, actor=org[who], operation="approve")
    cc = client_for(org["hr"]).get(reverse("approvals:inbox") + "?tab=cc").content.decode()
    assert running.title in cc
    assert other.pk


def test_inbox_filters_refuse_bad_input_politely(org, client_for, running):
    url = reverse("approvals:inbox") + "?tab=waiting&kind=nope&date_from=0000-01-01&department=abc&page=x"
    assert client_for(org["manager"]).get(url).status_code == 200
    url = reverse("approvals:inbox") + f"?kind=test.memo&department={org['sales_dept'].pk}&date_from=2000-01-01"
    assert running.title in client_for(org["manager"]).get(url).content.decode()


def test_waiting_count_in_the_top_bar(org, client_for, running, propose):
    propose()
    html = client_for(org["manager"]).get(reverse("core:home")).content.decode()
    assert 'title="我的审批"' in html or 'title="My approvals"' in html
    assert '<span class="badge rounded-pill bg-danger portal-bell-count">2<' in html


def test_inbox_queries_do_not_grow(org, client_for, use_flow, propose):
    use_flow(TWO_STAGES)
    client = client_for(org["manager"])
    for _ in range(2):
        services.act(request=propose(), actor=org["manager"], operation="approve")
        propose()
    small = {
        tab: queries(client, reverse("approvals:inbox") + f"?tab={tab}") for tab in ("waiting", "done", "mine", "cc")
    }
    for _ in range(20):
        services.act(request=propose(), actor=org["manager"], operation="approve")
        propose()
    for tab, n in small.items():
        assert queries(client, reverse("approvals:inbox") + f"?tab={tab}") == n, tab


def test_request_page_queries_do_not_grow_with_the_timeline(org, client_for, use_flow, propose):
    use_flow(TWO_STAGES)
    small = propose()
    big = propose()
    for i in range(30):
        services.act(request=big, actor=org["staff"], operation="comment", opinion=f"意见{i}")
    client = client_for(org["manager"])
    assert queries(client, big.get_absolute_url()) == queries(client, small.get_absolute_url())


def test_flow_editor_saves_a_new_version_and_previews(org, client_for, memo_kind):
    client = client_for(org["admin"])
    url = reverse("approvals:flow_edit", args=["test.memo"])
    data = {
        "stages-TOTAL_FORMS": "2",
        "stages-INITIAL_FORMS": "0",
        "stages-0-name": "负责人",
        "stages-0-mode": "seq",
        "stages-0-approver": "proposer_head",
        "stages-0-condition": "always",
        "stages-0-ORDER": "1",
        "stages-1-name": "总经理",
        "stages-1-mode": "seq",
        "stages-1-approver": "gm",
        "stages-1-condition": "above",
        "stages-1-field": "amount",
        "stages-1-threshold": "100000",
        "stages-1-limit_days": "2",
        "stages-1-ORDER": "2",
        "note": "大额需总经理",
    }
    assert client.post(url, data).status_code == 302
    from ..flows import current_version

    stages = current_version(memo_kind.kind()).stages
    assert [s["name"] for s in stages] == ["负责人", "总经理"]
    assert stages[1]["condition"] == {"type": "above", "field": "amount", "value": 100000.0}
    preview = client.get(url + f"?department={org['sales_dept'].pk}&person=staff&amount=200000").content.decode()
    assert org["manager"].name in preview and org["gm"].name in preview
    # Bad input keeps what was typed and says why.
    number = current_version(memo_kind.kind()).number
    data["stages-1-threshold"] = ""
    data["stages-1-name"] = "总经理审批（新）"
    page = client.post(url, data)
    assert page.status_code == 200 and "总经理审批（新）" in page.content.decode()
    assert current_version(memo_kind.kind()).number == number


def test_report_and_xlsx_export(org, client_for, running):
    services.act(request=running, actor=org["manager"], operation="approve")
    client = client_for(org["ops"])
    page = client.get(reverse("approvals:report")).content.decode()
    assert "部门负责人" in page
    response = client.get(reverse("approvals:report") + "?format=xlsx&days=abc")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:3] == ["测试申请", "部门负责人", 1]


def test_delegation_page(org, client_for, memo_kind):
    client = client_for(org["manager"])
    response = client.post(
        reverse("approvals:delegations"),
        {"person": "opshead", "kind": "", "start_date": "2026-03-02", "end_date": "2026-03-01"},
    )
    assert response.status_code == 200  # end before start: refused, form kept
    assert "opshead" in response.content.decode()
    client.post(
        reverse("approvals:delegations"),
        {"person": "opshead", "kind": "test.memo", "start_date": "2026-03-02", "end_date": "2026-03-06"},
    )
    from ..models import Delegation

    d = Delegation.objects.get(principal=org["manager"])
    assert (d.kind, d.end_date) == ("test.memo", datetime.date(2026, 3, 6))
    assert client_for(org["staff"]).post(reverse("approvals:delegation_cancel", args=[d.pk])).status_code == 404
    client.post(reverse("approvals:delegation_cancel", args=[d.pk]))
    d.refresh_from_db()
    assert d.cancelled_at is not None


def test_language_english(org, client_for, running):
    client = client_for(org["manager"])
    client.cookies["django_language"] = "en"
    assert client.get(running.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert user  # the helper is shared with the engine tests
