"""The top bar's figures (unread notifications, approvals waiting) come from Redis
(apps/core/usercache.py): never another person's, never older than the last change."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.notifications import services as notifications
from apps.notifications.models import Notification

from .. import services
from .test_pages import TWO_STAGES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _layout_cache_on(settings):
    settings.LAYOUT_CACHE = True


def bar(client) -> dict:
    """(unread notifications, approvals waiting) as the top bar shows them."""
    html = client.get(reverse("core:floor")).content.decode()
    bell = re.search(r'id="bell".*?</a>', html, re.S).group(0)
    unread = re.search(r'portal-bell-count">(\d+)', bell)
    inbox = reverse("approvals:inbox")
    tasks = re.search(rf'href="{inbox}" title[^>]*>.*?</a>', html, re.S).group(0)
    waiting = re.search(r'portal-bell-count">(\d+)', tasks)
    return {"unread": int(unread.group(1)) if unread else 0, "waiting": int(waiting.group(1)) if waiting else 0}


def test_figures_are_never_shown_to_someone_else(org, client_for):
    a, b = org["staff"], org["hr"]
    for _ in range(3):
        notifications.notify(recipient=a, kind="core.test", title="for a")
    notifications.notify(recipient=b, kind="core.test", title="for b")
    ca, cb = client_for(a), client_for(b)
    assert bar(ca)["unread"] == 3
    assert bar(cb)["unread"] == 1  # b's own, not a's cached figure
    assert bar(ca)["unread"] == 3
    # one browser, another person signed in: the new person's figures
    ca.force_login(b)
    assert bar(ca)["unread"] == 1


def test_figures_follow_every_kind_of_write(org, client_for):
    a = org["staff"]
    c = client_for(a)
    assert bar(c)["unread"] == 0
    first = notifications.notify(recipient=a, kind="core.test", title="one")  # save()
    assert bar(c)["unread"] == 1
    notifications.notify_many(recipients=[a, org["hr"]], kind="core.test", title="two")  # bulk_create
    assert bar(c)["unread"] == 2
    c.get(reverse("notifications:open", args=[first.pk]))  # queryset update in the view
    assert bar(c)["unread"] == 1
    notifications.mark_read(user=a)
    assert bar(c)["unread"] == 0
    notifications.notify(recipient=a, kind="core.test", title="three")
    assert bar(c)["unread"] == 1
    Notification.objects.filter(recipient=a).delete()  # queryset delete
    assert bar(c)["unread"] == 0


def test_approvals_waiting_follow_the_engine(org, client_for, use_flow, propose):
    use_flow(TWO_STAGES)
    manager = client_for(org["manager"])
    assert bar(manager)["waiting"] == 0
    req = propose()  # a pending task for the proposer's head (bulk/instance creates)
    assert bar(manager)["waiting"] == 1
    services.act(request=req, actor=org["manager"], operation="approve")  # status through the state machine
    assert bar(manager)["waiting"] == 0


def test_a_cached_page_counts_nothing(org, client_for):
    notifications.notify(recipient=org["staff"], kind="core.test", title="x")
    c = client_for(org["staff"])
    c.get(reverse("core:floor"))
    with CaptureQueriesContext(connection) as ctx:
        c.get(reverse("core:floor"))
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "notifications_notification" not in sql and "approvals_task" not in sql
    assert len(ctx.captured_queries) <= 2  # the session and the user


def test_each_language_has_its_own_labels(org, client_for):
    c = client_for(org["manager"])
    zh = c.get(reverse("core:floor")).content.decode()
    org["manager"].preferred_language = "en"
    org["manager"].save(update_fields=["preferred_language"])
    en = c.get(reverse("core:floor")).content.decode()
    assert "我的审批" in zh
    assert "My approvals" in en and "我的审批" not in en


def test_the_suite_counts_every_time_unless_asked(org, client_for, settings):
    settings.LAYOUT_CACHE = False
    c = client_for(org["staff"])
    c.get(reverse("core:floor"))
    with CaptureQueriesContext(connection) as ctx:
        c.get(reverse("core:floor"))
    assert "notifications_notification" in " ".join(q["sql"] for q in ctx.captured_queries)


@pytest.mark.parametrize("cached", [False, True])
def test_the_layout_costs_the_same_for_n_and_10n_rows(org, client_for, use_flow, propose, settings, cached):
    settings.LAYOUT_CACHE = cached
    use_flow(TWO_STAGES)

    def floor_queries(n):
        for _ in range(n):
            notifications.notify(recipient=org["manager"], kind="core.test", title="x")
            propose()
        c = client_for(org["manager"])
        c.get(reverse("core:floor"))
        with CaptureQueriesContext(connection) as ctx:
            c.get(reverse("core:floor"))
        return len(ctx.captured_queries)

    small = floor_queries(2)
    assert floor_queries(18) == small  # 2 → 20 notifications and waiting approvals
    assert small == (2 if cached else 4)
