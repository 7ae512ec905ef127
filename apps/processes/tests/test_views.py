"""Who may open / post every view (table-driven), and what a refused user gets."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.approvals import services as approvals

from .. import services
from ..models import ChangeRequest, Process
from .factories import change_request

pytestmark = pytest.mark.django_db
S = ChangeRequest.Status
EVERYONE = ("staff", "manager", "ops", "gm", "hr", "admin", "outsider")


@pytest.fixture
def world(org, sales_process):
    cr = change_request(sales_process, org["staff"], submit=True)  # pending_head, manager decides
    draft = change_request(sales_process, org["staff"], title="草稿")
    review = services.review_record(
        process=sales_process,
        reviewer=org["ops"],
        reviewed_on=timezone.localdate(),
        findings="发现",
        next_review_date=timezone.localdate() + datetime.timedelta(days=90),
        actions=[{"description": "改进", "owner": org["staff"], "due_date": timezone.localdate()}],
    )
    delegation = approvals.delegation_create(
        kind="processes.change",
        principal=org["manager"],
        delegate=org["outsider"],
        start_date=timezone.localdate() + datetime.timedelta(days=5),
        end_date=timezone.localdate() + datetime.timedelta(days=9),
    )
    return {
        "process": sales_process,
        "cr": cr,
        "draft": draft,
        "action": review.actions.get(),
        "delegation": delegation,
    }


def status_for(client_for, user, url, method="get", data=None):
    client = client_for(user)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    return response.status_code


GET_PAGES = {
    # name: (url builder, roles allowed 200; everyone else gets `refused`)
    "list": (lambda w: reverse("processes:list"), EVERYONE, None),
    "detail": (lambda w: reverse("processes:detail", args=[w["process"].code]), EVERYONE, None),
    "old version": (lambda w: reverse("processes:detail", args=[w["process"].code]) + "?v=1", EVERYONE, None),
    "department": (lambda w: reverse("processes:department", args=[w["process"].department.code]), EVERYONE, None),
    "requests": (lambda w: reverse("processes:cr_list"), EVERYONE, None),
    "propose": (lambda w: reverse("processes:cr_create", args=[w["process"].code]), EVERYONE, None),
    "create process": (lambda w: reverse("processes:create"), ("ops", "admin"), 403),
    "edit process": (lambda w: reverse("processes:edit", args=[w["process"].code]), ("ops", "admin"), 403),
    "review": (lambda w: reverse("processes:review_create", args=[w["process"].code]), ("ops",), 403),
    "request (its approval page)": (
        lambda w: services.approval_of(w["cr"]).get_absolute_url(),
        ("staff", "manager", "ops", "gm", "admin"),
        404,
    ),
    "draft": (
        lambda w: reverse("processes:cr_detail", args=[w["draft"].pk]),
        ("staff", "manager", "ops", "gm", "admin"),
        404,
    ),
    "edit draft": (lambda w: reverse("processes:cr_edit", args=[w["draft"].pk]), ("staff",), None),
}


@pytest.mark.parametrize("page", list(GET_PAGES))
def test_who_may_open_each_page(org, world, client_for, page):
    build, allowed, refused = GET_PAGES[page]
    url = build(world)
    for role in EVERYONE:
        code = status_for(client_for, org[role], url)
        if role in allowed:
            assert code == 200, (page, role, code)
        elif refused is None:  # nobody is refused: only the anonymous visitor
            continue
        else:
            assert code == refused, (page, role, code)
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("processes:inbox", "/approvals/?kind=processes.change"),
        ("processes:report", "/approvals/report/?kind=processes.change"),
        ("processes:delegations", "/approvals/delegations/"),
    ],
)
def test_the_old_approval_pages_lead_to_the_engine(org, client_for, name, target):
    response = client_for(org["manager"]).get(reverse(name))
    assert response.status_code == 302 and response["Location"] == target


def test_a_submitted_request_opens_on_its_approval_page(org, world, client_for):
    response = client_for(org["manager"]).get(reverse("processes:cr_detail", args=[world["cr"].pk]))
    assert response["Location"] == services.approval_of(world["cr"]).get_absolute_url()
    assert client_for(org["outsider"]).get(reverse("processes:cr_detail", args=[world["cr"].pk])).status_code == 404
    page = client_for(org["manager"]).get(response["Location"]).content.decode()
    assert "部门负责人审批" in page and world["cr"].reason in page


def test_editing_someone_elses_draft_is_refused(org, world, client_for):
    url = reverse("processes:cr_edit", args=[world["draft"].pk])
    assert status_for(client_for, org["outsider"], url) == 404  # may not even see it
    response = client_for(org["ops"]).get(url)  # may see it, may not edit it
    assert response.status_code == 302 and response["Location"] == world["draft"].get_absolute_url()


def test_unknown_objects_are_404(org, world, client_for):
    c = client_for(org["staff"])
    assert c.get(reverse("processes:detail", args=["NOPE"])).status_code == 404
    assert c.get(reverse("processes:detail", args=[world["process"].code]) + "?v=99").status_code == 404
    assert c.get(reverse("processes:cr_detail", args=[999999])).status_code == 404
    assert c.get(reverse("processes:department", args=["nope"])).status_code == 404


def decide(client, cr, operation, opinion="意见", seen=None):
    approval = services.approval_of(cr)
    return client.post(
        reverse("approvals:act", args=[approval.pk]),
        {"operation": operation, "opinion": opinion, "seen_version": seen or approval.version},
        follow=True,
    )


def test_the_approver_decides_through_the_page(org, world, client_for):
    cr = world["cr"]
    response = decide(client_for(org["manager"]), cr, "approve")
    cr.refresh_from_db()
    assert cr.status == S.PENDING and services.approval_of(cr).current_stage.key == "ops"
    assert "已记录" in response.content.decode() or "Recorded" in response.content.decode()


@pytest.mark.parametrize("role", ["staff", "ops", "gm", "admin", "hr", "outsider"])
def test_others_cannot_decide_at_the_head_stage(org, world, client_for, role):
    cr = world["cr"]
    response = decide(client_for(org[role]), cr, "approve")
    cr.refresh_from_db()
    assert cr.status == S.PENDING and services.approval_of(cr).current_stage.key == "head"
    assert response.status_code in (200, 404)


def test_the_second_of_two_approvers_gets_a_clear_message(org, world, client_for):
    cr = world["cr"]
    services.change_request_transition(cr=cr, user=org["manager"], action="approve")
    seen = services.approval_of(cr).version
    services.change_request_transition(cr=cr, user=org["ops"], action="approve")
    response = decide(client_for(org["ops_head"]), cr, "reject", "不同意", seen=seen)
    assert org["ops"].name in response.content.decode()
    cr.refresh_from_db()
    assert cr.status == S.APPROVED


def test_the_proposer_submits_and_withdraws_a_draft_on_its_page(org, world, client_for):
    draft = world["draft"]
    client = client_for(org["staff"])
    assert client.post(reverse("processes:cr_decide", args=[draft.pk]), {"action": "submit"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.PENDING
    other = change_request(world["process"], org["staff"], title="另一个草稿")
    assert (
        client_for(org["manager"])
        .post(reverse("processes:cr_decide", args=[other.pk]), {"action": "submit"})
        .status_code
        == 302
    )
    other.refresh_from_db()
    assert other.status == S.DRAFT
    client.post(reverse("processes:cr_decide", args=[other.pk]), {"action": "withdraw"})
    other.refresh_from_db()
    assert other.status == S.WITHDRAWN


def test_an_improvement_action_is_closed_by_its_owner_or_ops(org, world, client_for):
    url = reverse("processes:action_done", args=[world["action"].pk])
    # The action is listed on the process page everybody reads: 403, not 404 (apps/core/permissions.py).
    assert client_for(org["manager"]).post(url).status_code == 403
    assert client_for(org["staff"]).post(url).status_code == 302
    world["action"].refresh_from_db()
    assert world["action"].done_at is not None


def test_a_retired_process_cannot_get_a_change_request(org, world, client_for):
    Process.objects.filter(pk=world["process"].pk).update(status=Process.Status.RETIRED)
    response = client_for(org["staff"]).get(reverse("processes:cr_create", args=[world["process"].code]))
    assert response.status_code == 302


def test_the_request_list_hides_requests_i_may_not_see(org, world, client_for):
    rows = client_for(org["outsider"]).get(reverse("processes:cr_list")).context["page_obj"].object_list
    assert not rows
    rows = client_for(org["ops"]).get(reverse("processes:cr_list")).context["page_obj"].object_list
    assert {world["cr"], world["draft"]} <= set(rows)


def test_ops_creates_a_process(org, client_for):
    response = client_for(org["ops"]).post(
        reverse("processes:create"),
        {
            "code": "NEW-01",
            "name": "新流程",
            "department": org["sales_dept"].pk,
            "owner": org["manager"].pk,
            "status": "in_use",
            "purpose": "目的",
            "scope": "",
            "start_trigger": "开始",
            "end_condition": "结束",
            "target_cycle_days": 3,
            "next_review_date": "2027-01-01",
        },
    )
    assert response.status_code == 302
    assert Process.objects.get(code="NEW-01").owner == org["manager"]


def test_ops_records_a_review_with_actions(org, sales_process, client_for):
    response = client_for(org["ops"]).post(
        reverse("processes:review_create", args=[sales_process.code]),
        {
            "reviewed_on": "2026-11-01",
            "findings": "审批超时",
            "next_review_date": "2027-05-01",
            "actions-TOTAL_FORMS": 3,
            "actions-INITIAL_FORMS": 0,
            "actions-0-description": "每周通报",
            "actions-0-owner": org["manager"].pk,
            "actions-0-due_date": "2026-12-01",
        },
    )
    assert response.status_code == 302
    sales_process.refresh_from_db()
    assert str(sales_process.next_review_date) == "2027-05-01"
    assert sales_process.reviews.get().actions.get().owner == org["manager"]


def test_home_panels_show_my_waiting_requests_and_actions(org, world):
    from apps.approvals.home import my_work as approvals_work

    from ..home import my_work

    assert "approvals.waiting" in {p.key for p in approvals_work(org["manager"])}
    assert "processes.actions" in {p.key for p in my_work(org["staff"])}


def test_the_proposer_edits_a_returned_request_and_resubmits_it_on_the_page(org, world, client_for):
    cr = services.change_request_transition(cr=world["cr"], user=org["manager"], action="return", comment="补充时限")
    client = client_for(org["staff"])
    page = client.get(reverse("processes:cr_edit", args=[cr.pk]))
    formset = page.context["formset"]
    data = {
        "revision": cr.revision,
        "cr-title": cr.title,
        "cr-reason": "补充了时限",
        "cr-urgency": "normal",
        "submit": "1",
    }
    for key, value in formset.management_form.initial.items():
        data[f"steps-{key}"] = value
    data["steps-TOTAL_FORMS"] = formset.initial_form_count()  # the blank rows stay unposted
    for i, form in enumerate(formset.forms[: formset.initial_form_count()]):
        for name in form.fields:
            value = form.initial.get(name)
            if value is not None:
                data[f"steps-{i}-{name}"] = value
    data["steps-0-time_limit_hours"] = 12
    response = client.post(reverse("processes:cr_edit", args=[cr.pk]), data)
    assert response.status_code == 302, response.context["formset"].errors
    cr.refresh_from_db()
    assert cr.status == S.PENDING and cr.reason == "补充了时限"
    assert cr.proposed_steps[0]["time_limit_hours"] == 12


def test_an_edit_based_on_an_old_revision_is_refused(org, world, client_for):
    draft = world["draft"]
    data = {
        "revision": draft.revision - 1 if draft.revision > 1 else 99,
        "cr-title": "x",
        "cr-reason": "y",
        "cr-urgency": "normal",
        "steps-TOTAL_FORMS": 1,
        "steps-INITIAL_FORMS": 1,
        "steps-0-key": "s1",
        "steps-0-name": "步骤",
        "steps-0-department": org["sales_dept"].pk,
        "steps-0-ORDER": 1,
    }
    response = client_for(org["staff"]).post(reverse("processes:cr_edit", args=[draft.pk]), data)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.title != "x"


@pytest.mark.parametrize("model", ["process", "processversion", "changerequest", "processreview"])
def test_admin_pages_open(org, world, client_for, model):
    admin = org["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = client_for(admin)
    assert client.get(reverse(f"admin:processes_{model}_changelist")).status_code == 200
    obj = {
        "process": world["process"],
        "changerequest": world["cr"],
        "processversion": world["process"].current_version,
        "processreview": world["action"].review,
    }[model]
    assert client.get(reverse(f"admin:processes_{model}_change", args=[obj.pk])).status_code == 200


def test_ops_home_lists_processes_due_for_review(org, world):
    from ..home import my_work

    Process.objects.filter(pk=world["process"].pk).update(next_review_date=timezone.localdate())
    assert "processes.reviews_due" in {p.key for p in my_work(org["ops"])}
    assert "processes.reviews_due" not in {p.key for p in my_work(org["staff"])}
