"""The notifications pages: own notifications only, filters, mark read, settings, query counts."""

import pytest
from django.urls import reverse

from apps.notifications.models import Notification, NotificationPreference
from apps.notifications.services import notify_many

ROLES = ["staff", "manager", "hr", "ops", "admin", "outsider"]


def make_notes(user, n, kind="policies.ack_required"):
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind if i % 3 else "kpis.figure_missing",
                title=f"通知 {i}",
                body="正文",
                url=f"/x/{i}/",
            )
            for i in range(n)
        ]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["notifications:list", "notifications:dropdown", "notifications:preferences"])
def test_every_signed_in_person_has_their_own_pages(client_for, org, role, name):
    assert client_for(org[role]).get(reverse(name)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["notifications:list", "notifications:dropdown", "notifications:preferences"])
def test_anonymous_visitors_are_sent_to_the_login(client_for, name):
    response = client_for(None).get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_people_see_only_their_own_notifications(client_for, org):
    make_notes(org["staff"], 2)
    make_notes(org["manager"], 1)
    Notification.objects.filter(recipient=org["manager"]).update(title="经理的秘密")
    html = client_for(org["staff"]).get(reverse("notifications:list")).content.decode()
    assert "通知 1" in html and "经理的秘密" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_opening_someone_elses_notification_is_404_and_leaves_it_unread(client_for, org, role):
    make_notes(org["gm"], 1)
    note = Notification.objects.get()
    assert client_for(org[role]).get(reverse("notifications:open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_goes_to_its_object(client_for, org):
    make_notes(org["staff"], 1)
    note = Notification.objects.get()
    response = client_for(org["staff"]).get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == note.url
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.django_db
def test_mark_read_touches_only_ones_own_notifications(client_for, org):
    make_notes(org["staff"], 2)
    make_notes(org["manager"], 1)
    mine = Notification.objects.filter(recipient=org["staff"]).first()
    theirs = Notification.objects.get(recipient=org["manager"])
    client = client_for(org["staff"])
    client.post(reverse("notifications:mark_read"), {"id": [mine.pk, theirs.pk]})
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    client.post(reverse("notifications:mark_read"))  # all
    assert not Notification.objects.filter(recipient=org["staff"], read_at=None).exists()
    assert Notification.objects.filter(recipient=org["manager"], read_at=None).count() == 1


@pytest.mark.django_db
def test_mark_read_needs_a_post(client_for, org):
    assert client_for(org["staff"]).get(reverse("notifications:mark_read")).status_code == 405


@pytest.mark.django_db
def test_the_list_filters_by_unread_and_by_kind(client_for, org):
    make_notes(org["staff"], 6)  # kinds: 0,3 -> kpis; 1,2,4,5 -> policies
    Notification.objects.filter(title="通知 1").update(read_at="2026-01-01T00:00Z")
    client = client_for(org["staff"])
    unread = client.get(reverse("notifications:list"), {"unread": "1"}).context["page_obj"]
    assert {n.title for n in unread} == {"通知 0", "通知 2", "通知 3", "通知 4", "通知 5"}
    kpis = client.get(reverse("notifications:list"), {"kind": "kpis.figure_missing"}).context["page_obj"]
    assert {n.title for n in kpis} == {"通知 0", "通知 3"}
    html = client.get(reverse("notifications:list")).content.decode()
    assert "指标数据未填报" in html  # the kind's label, in Chinese


@pytest.mark.django_db
def test_the_bell_counts_unread_and_its_menu_lists_the_latest(client_for, org):
    make_notes(org["staff"], 8)
    client = client_for(org["staff"])
    home = client.get("/").content.decode()
    assert 'portal-bell-count">8<' in home
    menu = client.get(reverse("notifications:dropdown")).content.decode()
    assert menu.count("notif-menu-item") == 6 and "通知 7" in menu


@pytest.mark.django_db
def test_the_notifications_page_costs_the_same_queries_for_30_or_3000_notifications(
    client_for, org, django_assert_max_num_queries
):
    client = client_for(org["staff"])
    make_notes(org["staff"], 30)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notifications:list")).status_code == 200
    make_notes(org["staff"], 3000)
    with django_assert_max_num_queries(8):
        assert (
            client.get(reverse("notifications:list"), {"page": 50, "kind": "policies.ack_required"}).status_code == 200
        )
    with django_assert_max_num_queries(5):
        assert client.get(reverse("notifications:dropdown")).status_code == 200


@pytest.mark.django_db
def test_settings_save_a_channel_per_kind_and_offer_no_off_for_mandatory_kinds(client_for, org):
    client = client_for(org["staff"])
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="approvals.task" value="off"' not in page
    assert 'name="policies.review_due" value="off"' in page
    form = client.get(reverse("notifications:preferences")).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data["policies.review_due"] = "digest"
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    assert NotificationPreference.objects.get(user=org["staff"], kind="policies.review_due").channel == "digest"
    data["approvals.task"] = "off"
    assert client.post(reverse("notifications:preferences"), data).status_code == 200  # refused
    assert not NotificationPreference.objects.filter(kind="approvals.task", channel="off").exists()


@pytest.mark.django_db
def test_the_home_page_lists_what_the_reminders_talk_about(client_for, org, plan):
    from django.utils import timezone

    plan(org["staff"], timezone.localdate(), title="请完成《安全生产制度》确认")
    plan(org["manager"], timezone.localdate(), title="经理的提醒")
    html = client_for(org["staff"]).get("/").content.decode()
    assert "请完成《安全生产制度》确认" in html and "经理的提醒" not in html


@pytest.mark.django_db
def test_notify_many_costs_four_queries_for_any_number_of_people(org, django_assert_max_num_queries):
    people = [org[r] for r in ROLES]
    with django_assert_max_num_queries(4):  # addresses, preferences, notifications, outbox
        assert notify_many(recipients=people, kind="policies.published", title="新制度") == len(people)


@pytest.mark.django_db
def test_the_home_page_has_no_reminder_card_when_nothing_is_due(client_for, org):
    panels = client_for(org["staff"]).get("/").context["panels"]
    assert "reminders" not in [p.key for p in panels]


@pytest.mark.django_db
def test_the_home_reminder_card_costs_a_few_queries_per_source(client_for, org, plan, django_assert_max_num_queries):
    from django.utils import timezone

    from apps.notifications.home import my_work
    from apps.notifications.reminding import all_sources

    for i in range(30):
        plan(org["staff"], timezone.localdate(), title=f"提醒 {i}")
    sources = all_sources()
    with django_assert_max_num_queries(2 * len(sources)):
        (panel,) = my_work(org["staff"])
    assert panel.count == 30 and len(panel.items) == 5


@pytest.mark.django_db
def test_a_notification_linking_off_site_opens_the_list_instead(client_for, org):
    Notification.objects.create(recipient=org["staff"], kind="x.y", title="外链", url="https://evil.example.com/")
    note = Notification.objects.get()
    response = client_for(org["staff"]).get(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("notifications:list")
