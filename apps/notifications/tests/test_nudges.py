"""催办 once a day per thing and scope, guaranteed by the database: double clicks and
colleagues clicking at the same moment send one reminder."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext_noop

from apps.notifications.models import Notification, Nudge
from apps.notifications.nudges import nudge_once, nudged_today

DAY = date(2026, 11, 20)
TITLE = gettext_noop("%(n)d person was reminded.")  # any catalogued message with a parameter


def send(actor, people, *, day=DAY, thing="v1", scope="5"):
    return nudge_once(
        kind="policies.ack_reminder",
        thing=thing,
        scope=scope,
        day=day,
        actor=actor,
        recipients=people,
        title=TITLE,
        params={"n": 1},
        url="/x/",
    )


@pytest.mark.django_db
def test_once_a_day_per_thing_and_scope(make_user):
    actor = make_user(username="head")
    people = [make_user(username=f"p{i}", preferred_language=lang) for i, lang in enumerate(["zh-hans", "en"])]
    assert send(actor, [*people, actor]) == 2  # never the actor
    assert send(actor, people) is None  # the same day: nothing
    assert Notification.objects.count() == 2
    # each in their own language
    titles = dict(Notification.objects.values_list("recipient__username", "title"))
    assert titles == {"p0": "已提醒 1 人。", "p1": "1 person was reminded."}
    assert send(actor, people, thing="v2") == 2  # another thing
    assert send(actor, people, scope="6") == 2  # another team
    assert send(actor, people, day=date(2026, 11, 21)) == 2  # the next day
    assert nudged_today(kind="policies.ack_reminder", scope="5", day=DAY) == {"v1", "v2"}
    assert Notification.objects.count() == 8


CLICKS = 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_clicks_send_one(make_user):
    heads = [make_user(username=f"head{i}") for i in range(CLICKS)]
    people = [make_user(username=f"p{i}") for i in range(3)]
    barrier = threading.Barrier(CLICKS)
    results = []

    def click(actor):
        translation.activate("zh-hans")
        try:
            barrier.wait(timeout=30)
            results.append(send(actor, people))
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(h,)) for h in heads]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results, key=lambda r: r is None) == [3] + [None] * (CLICKS - 1)
    assert Nudge.objects.count() == 1
    assert Notification.objects.count() == 3
