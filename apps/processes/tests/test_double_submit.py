"""A double click on a form that creates something creates it once: change requests,
delegations (and their mail) and process reviews. Two requests at the same moment, each
on its own database connection, with the token the page carried."""

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from apps.approvals.models import Delegation
from apps.notifications.models import Notification

from ..models import ChangeRequest, ProcessReview
from .test_steps import formset_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _role_groups(django_db_blocker):
    from django.contrib.auth.models import Group

    from apps.accounts.roles import Role

    with django_db_blocker.unblock():
        for role in Role.values:
            Group.objects.get_or_create(name=role)


def _token(client, url) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="submit_token" value="([^"]+)"', page).group(1)


def _twice(client_for, user, url, data) -> list[int]:
    barrier, statuses = threading.Barrier(2), []

    def send():
        try:
            c = client_for(user)
            barrier.wait()
            statuses.append(c.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def test_a_change_request_sent_twice_is_created_once(org, sales_process, client_for):
    url = reverse("processes:cr_create", args=[sales_process.code])
    dept = org["sales_dept"].pk
    rows = [{"key": f"s{i}", "name": f"步骤{i}", "department": dept, "ORDER": i, "next": ""} for i in (1, 2, 3)]
    data = {"cr-title": "t", "cr-reason": "r", "cr-urgency": "normal", "submit": "1", **formset_data(rows)}
    data["submit_token"] = _token(client_for(org["staff"]), url)
    assert _twice(client_for, org["staff"], url, data) == [302, 302]
    assert ChangeRequest.objects.count() == 1
    # a new page carries a new token: sending the form again on purpose works
    data["submit_token"] = _token(client_for(org["staff"]), url)
    assert client_for(org["staff"]).post(url, data).status_code == 302
    assert ChangeRequest.objects.count() == 2


def test_a_delegation_sent_twice_is_created_once_and_mailed_once(org, client_for):
    url = reverse("approvals:delegations")
    data = {
        "person": org["staff"].username,
        "kind": "",
        "start_date": "2026-12-01",
        "end_date": "2026-12-05",
        "note": "休假",
    }
    data["submit_token"] = _token(client_for(org["manager"]), url)
    before = Notification.objects.filter(recipient=org["staff"]).count()
    assert _twice(client_for, org["manager"], url, data) == [302, 302]
    assert Delegation.objects.count() == 1
    assert Notification.objects.filter(recipient=org["staff"]).count() - before <= 1


def test_a_process_review_sent_twice_is_recorded_once(org, sales_process, client_for):
    url = reverse("processes:review_create", args=[sales_process.code])
    data = {
        "reviewed_on": "2026-11-01",
        "findings": "审批超时",
        "next_review_date": "2027-05-01",
        "actions-TOTAL_FORMS": 1,
        "actions-INITIAL_FORMS": 0,
        "actions-0-description": "每周通报",
        "actions-0-owner": org["manager"].pk,
        "actions-0-due_date": "2026-12-01",
        "submit_token": _token(client_for(org["ops"]), url),
    }
    assert _twice(client_for, org["ops"], url, data) == [302, 302]
    assert ProcessReview.objects.count() == 1
