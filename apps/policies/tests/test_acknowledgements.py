"""Read and acknowledge (宣贯确认): who is asked, home panel, a new version asks again,
completion reports and exports."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.plugins import home_panels
from apps.notifications.models import Notification
from apps.policies import services
from apps.policies.models import Acknowledgement
from apps.policies.selectors import ack_report, policies_needing_ack

from .factories import make_draft, publish, regulation_text


@pytest.fixture
def sales_only(org):
    """Published, asking 销售部 (and its sub-departments) to acknowledge."""
    version = make_draft(
        actor=org["ops"],
        owning_department=org["ops_dept"],
        code="ACK-SALES",
        ack_scope="departments",
        ack_departments=[org["sales_dept"]],
    )
    return publish(version, head=org["ops_head"], ops=org["ops"])


def test_publishing_notifies_and_asks_only_the_chosen_departments(org, sales_only):
    asked = set(policies_needing_ack(org["staff"]).values_list("code", flat=True))
    assert asked == {"ACK-SALES"}
    assert not policies_needing_ack(org["outsider"]).exists()
    assert Notification.objects.filter(recipient=org["staff"], kind="policies.ack_required").count() == 1
    assert not Notification.objects.filter(recipient=org["outsider"], kind="policies.ack_required").exists()


def test_home_panel_lists_what_i_must_acknowledge(org, sales_only):
    panel = next(p for p in home_panels(org["staff"]) if p.key == "policies-ack")
    assert panel.count == 1 and panel.items[0].url == sales_only.policy.get_absolute_url()
    services.acknowledge(user=org["staff"], version=sales_only)
    panel = next(p for p in home_panels(org["staff"]) if p.key == "policies-ack")
    assert panel.count == 0


def test_someone_not_asked_cannot_acknowledge(org, sales_only):
    with pytest.raises(ValidationError):
        services.acknowledge(user=org["outsider"], version=sales_only)


def test_a_new_version_asks_again(org, sales_only):
    services.acknowledge(user=org["staff"], version=sales_only)
    assert not policies_needing_ack(org["staff"]).exists()
    v2 = services.draft_from_current(policy=sales_only.policy, actor=org["ops"])
    services.draft_update(
        version=v2,
        actor=org["ops"],
        text=regulation_text(extra="修订"),
        title="",
        label=v2.label,
        effective_date=None,
        change_summary="修订",
        ack_scope="departments",
        ack_departments=[org["sales_dept"]],
    )
    publish(v2, head=org["ops_head"], ops=org["ops"])
    assert list(policies_needing_ack(org["staff"]).values_list("code", flat=True)) == ["ACK-SALES"]


def test_detail_page_shows_the_confirm_button_until_confirmed(org, sales_only, client_for):
    client = client_for(org["staff"])
    url = sales_only.policy.get_absolute_url()
    assert "policies/ACK-SALES/v/V1/ack/" in client.get(url).content.decode()
    client.post(reverse("policies:acknowledge", args=["ACK-SALES", "V1"]))
    assert "policies/ACK-SALES/v/V1/ack/" not in client.get(url).content.decode()
    assert Acknowledgement.objects.filter(user=org["staff"], version=sales_only).exists()


def test_needs_my_acknowledgement_filter(org, sales_only, client_for):
    make_draft(actor=org["ops"], owning_department=org["ops_dept"], code="OTHER")
    page = client_for(org["staff"]).get(reverse("policies:list"), {"needs_ack": "on"})
    assert [p.code for p in page.context["page_obj"]] == ["ACK-SALES"]


def test_report_counts_and_lists_who_has_not_confirmed(org, sales_only):
    services.acknowledge(user=org["staff"], version=sales_only)
    rows = {r.department.code: r for r in ack_report(sales_only)}
    assert set(rows) == {"sales"}
    sales = rows["sales"]
    assert (sales.required, sales.confirmed) == (2, 1)  # the head and the staff member
    assert [u.username for u in sales.missing] == ["manager"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_lists_everyone_asked(org, sales_only, client_for, fmt):
    services.acknowledge(user=org["staff"], version=sales_only)
    response = client_for(org["hr"]).get(reverse("policies:ack_report", args=["ACK-SALES", "V1"]), {"format": fmt})
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        from openpyxl import load_workbook

        rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    names = {r[2]: r[4] for r in rows[1:]}
    assert names == {org["staff"].name: "是", org["manager"].name: "否"}  # Chinese is the default language


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_writes_a_formula_like_name_as_text(org, sales_only, client_for, fmt):
    hostile = "=cmd|' /C calc'!A0"
    org["staff"].display_name = hostile
    org["staff"].save(update_fields=["display_name"])
    response = client_for(org["hr"]).get(reverse("policies:ack_report", args=["ACK-SALES", "V1"]), {"format": fmt})
    assert response["Cache-Control"] == "private, no-store"
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert "'" + hostile in {r[2] for r in rows}
    else:
        from openpyxl import load_workbook

        cell = next(
            c
            for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()
            for c in row
            if c.value == hostile
        )
        assert cell.data_type == "s" and cell.quotePrefix


def test_restricted_policy_asks_only_those_who_may_read_it(org, rnd):
    version = make_draft(
        actor=org["ops"],
        owning_department=rnd["dept"],
        code="R",
        confidentiality="restricted",
        allowed_departments=[rnd["dept"]],
        ack_scope="everyone",
    )
    publish(version, head=rnd["head"], ops=org["ops"])
    assert policies_needing_ack(rnd["member"]).exists()
    assert not policies_needing_ack(org["staff"]).exists()
    assert {r.department.code for r in ack_report(version)} == {"rnd", "rnd-algo"}


def test_detail_page_lists_processes_that_implement_its_articles(org, published, client_for):
    from django.apps import apps

    if not apps.is_installed("apps.processes"):
        pytest.skip("no process catalogue")
    Process = apps.get_model("processes", "Process")
    process = Process.objects.create(code="pur-01", name="采购申请流程", department=org["sales_dept"])
    process.articles.add(published.nodes.get(slug="a2"))
    page = client_for(org["staff"]).get(published.policy.get_absolute_url()).content.decode()
    assert "采购申请流程" in page and 'href="#a2"' in page


def test_each_approval_step_notifies_the_next_approver(org):
    from apps.approvals import services as approvals

    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    services.version_submit(version=version, actor=org["ops"])
    assert Notification.objects.filter(recipient=org["manager"], kind="approvals.task").count() == 1
    request = services.approval_of(version)
    approvals.act(request=request, actor=org["manager"], operation="approve")
    assert Notification.objects.filter(recipient=org["ops_head"], kind="approvals.task").count() == 1
    approvals.act(request=request, actor=org["ops_head"], operation="return", opinion="请补充附则")
    assert Notification.objects.filter(recipient=org["ops"], kind="approvals.decided", body="请补充附则").count() == 1


def test_manager_overview_lists_only_what_asks_their_people(org, sales_only, client_for):
    ops_only = make_draft(
        actor=org["ops"],
        owning_department=org["ops_dept"],
        code="ACK-OPS",
        ack_scope="departments",
        ack_departments=[org["ops_dept"]],
    )
    publish(ops_only, head=org["ops_head"], ops=org["ops"])
    manager_page = client_for(org["manager"]).get(reverse("policies:ack_overview")).content.decode()
    hr_page = client_for(org["hr"]).get(reverse("policies:ack_overview")).content.decode()
    assert "ACK-SALES" in manager_page and "ACK-OPS" not in manager_page
    assert "ACK-SALES" in hr_page and "ACK-OPS" in hr_page
