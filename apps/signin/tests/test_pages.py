"""The administrators' sign-in pages (who may, who may not: 404; query counts with N versus
10N rows) and the public pages in both languages."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.signin.models import Invitation, SignInEvent

pytestmark = pytest.mark.django_db
User = get_user_model()
ADMIN_PAGES = ["signin:not_activated", "signin:lockouts", "signin:events"]


def make_rows(n: int, start: int = 0):
    people = User.objects.bulk_create(
        [
            User(
                username=f"na{start + i}",
                email=f"na{start + i}@example.com",
                password="!unusable",
                display_name=f"新人{i}",
            )
            for i in range(n)
        ]
    )
    Invitation.objects.bulk_create([Invitation(user=p, sent_at=timezone.now(), times_sent=1) for p in people[::2]])
    SignInEvent.objects.bulk_create(
        [SignInEvent(kind="failed", username=p.username, user=p, ip_address="10.0.0.9") for p in people]
    )
    AccessAttempt.objects.bulk_create(
        [
            AccessAttempt(
                username=p.username,
                ip_address=f"10.1.{i // 250}.{i % 250}",
                user_agent="t",
                failures_since_start=5,
                get_data="",
                post_data="",
                http_accept="",
                path_info="/",
            )
            for i, p in enumerate(people)
        ]
    )


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize(
    "role,allowed", [("admin", True), ("hr", False), ("ops", False), ("manager", False), ("staff", False)]
)
def test_admin_pages_only_for_administrators(org, client_for, page, role, allowed):
    response = client_for(org[role]).get(reverse(page))
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_send_anonymous_visitors_to_sign_in(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_admin_actions_refused_to_others(org, client_for, make_user):
    person = make_user(username="pending", email="p@example.com")
    person.set_unusable_password()
    person.save()
    hr = client_for(org["hr"])
    assert hr.post(reverse("signin:invitation_resend", args=[person.pk])).status_code == 404
    assert hr.post(reverse("signin:unlock"), {"username": "x"}).status_code == 404
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_cost_the_same_queries_for_20_or_200_rows(org, client_for, page, django_assert_max_num_queries):
    admin = client_for(org["admin"])
    make_rows(20)
    with django_assert_max_num_queries(12):
        assert admin.get(reverse(page)).status_code == 200
    make_rows(180, start=20)
    with django_assert_max_num_queries(12):
        response = admin.get(reverse(page), {"page": 2})
        assert response.status_code == 200


def test_not_activated_page_lists_and_resends(org, client_for, make_user):
    person = make_user(username="pending", email="p@example.com", display_name="待激活")
    person.set_unusable_password()
    person.save()
    admin = client_for(org["admin"])
    page = admin.get(reverse("signin:not_activated")).content.decode()
    assert "待激活" in page and org["staff"].name not in page  # staff has a password
    assert admin.post(reverse("signin:invitation_resend", args=[person.pk])).status_code == 302
    assert admin.post(reverse("signin:invitation_resend", args=[person.pk])).status_code == 302
    assert Invitation.objects.get(user=person).times_sent == 2
    assert admin.post(reverse("signin:invitation_resend", args=[org["staff"].pk])).status_code == 404


def test_event_log_filters(org, client_for):
    SignInEvent.objects.create(kind="failed", username="alpha", ip_address="10.0.0.1")
    SignInEvent.objects.create(kind="login", username="beta", ip_address="10.0.0.2")
    admin = client_for(org["admin"])
    assert "beta" not in admin.get(reverse("signin:events"), {"q": "alpha"}).content.decode()
    by_ip = admin.get(reverse("signin:events"), {"q": "10.0.0.2"}).content.decode()
    assert "beta" in by_ip and "alpha" not in by_ip
    assert "alpha" not in admin.get(reverse("signin:events"), {"kind": "login"}).content.decode()
    assert admin.get(reverse("signin:events"), {"kind": "nonsense", "page": "x"}).status_code == 200


@pytest.mark.parametrize(
    "language,texts",
    [
        ("zh-hans", ["忘记密码", "请查收邮件", "此链接已失效"]),
        ("en", ["Forgot password", "Check your mail", "This link no longer works"]),
    ],
)
def test_public_pages_in_both_languages(language, texts):
    client = Client()
    client.cookies["django_language"] = language
    pages = [
        client.get(reverse("signin:password_forgot")),
        client.get(reverse("signin:password_forgot_sent")),
        client.get(reverse("signin:activate", args=["MQ", "bad-token"])),
    ]
    for response, text in zip(pages, texts, strict=True):
        assert response.status_code == 200 and text in response.content.decode()
    login = client.get(reverse("accounts:login")).content.decode()
    assert reverse("signin:password_forgot") in login


def test_bad_input_gets_a_message_not_a_500():
    client = Client()
    response = client.post(reverse("signin:password_forgot"), {"email": "not-an-address\x00"})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get(reverse("signin:reset", args=["!!!", "x-y"])).status_code == 200


def test_send_to_everyone_never_invited_once(org, client_for):
    from apps.notifications.models import OutboundEmail

    make_rows(6)
    Invitation.objects.all().delete()
    User.objects.filter(username="na5").update(email="")
    admin = client_for(org["admin"])
    page = admin.get(reverse("signin:not_activated")).content.decode()
    assert reverse("signin:invitations_send_pending") in page
    admin.post(reverse("signin:invitations_send_pending"))
    admin.post(reverse("signin:invitations_send_pending"))  # a double click sends nothing more
    assert OutboundEmail.objects.count() == 5 and Invitation.objects.count() == 5
    assert reverse("signin:invitations_send_pending") not in admin.get(reverse("signin:not_activated")).content.decode()
    assert client_for(org["hr"]).post(reverse("signin:invitations_send_pending")).status_code == 404
