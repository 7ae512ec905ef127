"""A returned request shows the approver's comment where the proposer edits it (and on its
approval page), and the proposer can answer it when resubmitting: the answer is stored on the
approval's timeline with the new submission."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.approvals.models import Event

from .. import services
from ..models import ChangeRequest
from .factories import change_request

pytestmark = pytest.mark.django_db
S = ChangeRequest.Status


def returned_request(org, process, times=1):
    cr = change_request(process, org["staff"], submit=True)
    for i in range(times):
        if i:
            cr = services.change_request_transition(cr=cr, user=org["staff"], action="submit")
        cr = services.change_request_transition(
            cr=cr, user=org["manager"], action="return", comment=f"请补充每一步的时限（第{i + 1}次）"
        )
    return cr


def edit_post_data(page, cr, **extra):
    formset = page.context["formset"]
    data = {"revision": cr.revision, "cr-title": cr.title, "cr-reason": "补充了时限", "cr-urgency": "normal"}
    for key, value in formset.management_form.initial.items():
        data[f"steps-{key}"] = value
    data["steps-TOTAL_FORMS"] = formset.initial_form_count()
    for i, form in enumerate(formset.forms[: formset.initial_form_count()]):
        for name in form.fields:
            value = form.initial.get(name)
            if value is not None:
                data[f"steps-{i}-{name}"] = value
    return {**data, **extra}


def test_the_edit_page_shows_the_approvers_comment_and_the_answer_goes_on_the_timeline(org, sales_process, client_for):
    cr = returned_request(org, sales_process)
    client = client_for(org["staff"])
    page = client.get(reverse("processes:cr_edit", args=[cr.pk]))
    html = page.content.decode()
    assert 'data-testid="returned-note"' in html
    assert "请补充每一步的时限（第1次）" in html and org["manager"].name in html
    assert 'name="answer"' in html
    response = client.post(
        reverse("processes:cr_edit", args=[cr.pk]),
        edit_post_data(page, cr, submit="1", answer="已为每一步补充 12 小时时限"),
    )
    assert response.status_code == 302
    cr.refresh_from_db()
    assert cr.status == S.PENDING
    approval = services.approval_of(cr)
    resubmitted = Event.objects.get(request=approval, operation=Event.Operation.SUBMIT, submission=2)
    assert resubmitted.opinion == "已为每一步补充 12 小时时限" and resubmitted.actor == org["staff"]
    # The approver reads the answer on the approval page; the note is gone once it is pending again.
    approval_page = client_for(org["manager"]).get(approval.get_absolute_url()).content.decode()
    assert "已为每一步补充 12 小时时限" in approval_page and 'data-testid="returned-note"' not in approval_page


def test_resubmitting_unchanged_from_the_approval_page_takes_an_answer(org, sales_process, client_for):
    cr = returned_request(org, sales_process)
    approval = services.approval_of(cr)
    client = client_for(org["staff"])
    page = client.get(approval.get_absolute_url()).content.decode()
    assert 'data-testid="returned-note"' in page and "请补充每一步的时限（第1次）" in page
    assert 'id="resubmit-answer"' in page
    client.post(reverse("processes:cr_decide", args=[cr.pk]), {"action": "submit", "comment": "时限已在附件中说明"})
    cr.refresh_from_db()
    assert cr.status == S.PENDING
    assert Event.objects.get(request=approval, operation=Event.Operation.SUBMIT, submission=2).opinion == (
        "时限已在附件中说明"
    )


def test_others_see_why_it_was_returned_but_only_the_proposer_gets_the_answer_box(org, sales_process, client_for):
    cr = returned_request(org, sales_process)
    page = client_for(org["manager"]).get(services.approval_of(cr).get_absolute_url()).content.decode()
    assert "请补充每一步的时限（第1次）" in page and 'id="resubmit-answer"' not in page
    assert client_for(org["manager"]).get(reverse("processes:cr_edit", args=[cr.pk])).status_code == 302


def test_a_draft_never_returned_has_no_note(org, sales_process, client_for):
    cr = change_request(sales_process, org["staff"])
    html = client_for(org["staff"]).get(reverse("processes:cr_edit", args=[cr.pk])).content.decode()
    assert 'data-testid="returned-note"' not in html


def test_the_latest_return_is_shown_and_the_page_costs_the_same_after_many(org, sales_process, client_for):
    def cost(cr):
        client = client_for(org["staff"])
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(reverse("processes:cr_edit", args=[cr.pk])).content.decode()
        return len(ctx), html

    once, _html = cost(returned_request(org, sales_process, times=1))
    many, html = cost(returned_request(org, sales_process, times=6))
    assert "（第6次）" in html and "（第5次）" not in html
    assert many == once


def test_submitting_and_withdrawing_a_draft_confirm_with_whom_they_reach(org, sales_process, client_for):
    cr = change_request(sales_process, org["staff"])
    html = client_for(org["staff"]).get(reverse("processes:cr_detail", args=[cr.pk])).content.decode()
    assert 'data-bs-target="#confirm-submit"' in html and 'data-bs-target="#confirm-withdraw"' in html
    submit_dialog = html[html.index('id="confirm-submit"') : html.index('id="confirm-withdraw"')]
    assert org["manager"].name in submit_dialog  # the head of sales is asked first
    assert 'form="cr-decide" name="action" value="submit"' in submit_dialog
