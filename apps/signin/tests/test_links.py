"""Activation and reset mail: one-time links (expire, single use), the recipient's language,
the outbox, rate limits per address and per client address, no account enumeration."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.notifications.models import OutboundEmail
from apps.signin import services
from apps.signin.models import Invitation

pytestmark = pytest.mark.django_db
User = get_user_model()
NOW = timezone.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(480))


@pytest.fixture
def newcomer(make_user):
    person = make_user(username="new.person", email="new@example.com", display_name="新员工")
    person.set_unusable_password()
    person.save()
    return person


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def set_password(link: str, password: str, client=None):
    client = client or Client()
    first = client.get(path_of(link))
    if first.status_code != 302:  # an invalid link renders its page directly
        return first
    return client.post(first["Location"], {"new_password1": password, "new_password2": password})


def test_activation_link_sets_the_password_once(newcomer):
    assert services.invitations_send(users=[newcomer]) == 1
    mail = OutboundEmail.objects.get(recipient=newcomer)
    assert mail.to == "new@example.com" and mail.status == OutboundEmail.Status.PENDING
    assert "激活" in mail.subject and "new.person" in mail.body_text  # Chinese by default
    link = re.search(r"http://\S+/signin/activate/\S+/", mail.body_text).group(0)
    response = set_password(link, "Blue-river-2026")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    newcomer.refresh_from_db()
    assert newcomer.check_password("Blue-river-2026")
    assert Invitation.objects.get(user=newcomer).activated_at is not None
    again = set_password(link, "Other-pass-2026")
    assert again.status_code == 200 and again.context["validlink"] is False
    newcomer.refresh_from_db()
    assert newcomer.check_password("Blue-river-2026")


def test_activation_mail_in_the_recipients_language(newcomer):
    newcomer.preferred_language = "en"
    newcomer.save()
    services.invitations_send(users=[newcomer])
    mail = OutboundEmail.objects.get(recipient=newcomer)
    assert mail.subject.endswith("Activate your account") and "Set my password" in mail.body_html


def test_activation_link_expires(newcomer, settings):
    with time_machine.travel(NOW, tick=False):
        services.invitations_send(users=[newcomer])
    link = re.search(r"http://\S+/signin/activate/\S+/", OutboundEmail.objects.get().body_text).group(0)
    with time_machine.travel(NOW + timedelta(days=7, minutes=-1), tick=False):
        assert Client().get(path_of(link)).status_code == 302  # still valid
    with time_machine.travel(NOW + timedelta(days=7, minutes=1), tick=False):
        response = set_password(link, "Blue-river-2026")
    assert response.status_code == 200 and response.context["validlink"] is False


def test_activation_link_is_not_a_reset_link(newcomer):
    services.invitations_send(users=[newcomer])
    link = re.search(r"http://\S+/signin/activate/\S+/", OutboundEmail.objects.get().body_text).group(0)
    as_reset = link.replace("/signin/activate/", "/signin/password/reset/")
    assert set_password(as_reset, "Blue-river-2026").context["validlink"] is False


def test_no_invitation_for_someone_who_has_a_password_or_no_mail(make_user):
    has_password = make_user(username="p1")
    no_mail = make_user(username="p2", email="")
    no_mail.set_unusable_password()
    no_mail.save()
    assert services.invitations_send(users=[has_password, no_mail]) == 0
    assert not OutboundEmail.objects.exists()


def forgot(email, client=None, ip="10.0.0.1"):
    return (client or Client()).post(reverse("signin:password_forgot"), {"email": email}, REMOTE_ADDR=ip)


def test_reset_answer_does_not_reveal_whether_an_account_exists(make_user):
    make_user(username="known", email="known@example.com")
    known, unknown = forgot("known@example.com"), forgot("nobody@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("signin:password_forgot_sent")
    assert OutboundEmail.objects.filter(to="known@example.com").count() == 1
    assert OutboundEmail.objects.count() == 1


def test_reset_link_works_once_and_expires(make_user):
    person = make_user(username="known", email="known@example.com")
    with time_machine.travel(NOW, tick=False):
        forgot("KNOWN@example.com")
    link = re.search(r"http://\S+/signin/password/reset/\S+/", OutboundEmail.objects.get().body_text).group(0)
    with time_machine.travel(NOW + timedelta(hours=2, minutes=1), tick=False):
        assert set_password(link, "Green-field-2026").context["validlink"] is False
    with time_machine.travel(NOW + timedelta(minutes=30), tick=False):
        assert set_password(link, "Green-field-2026").status_code == 302
        person.refresh_from_db()
        assert person.check_password("Green-field-2026")
        assert set_password(link, "Red-field-2026").context["validlink"] is False


def test_rate_limit_per_address_and_per_client_address(make_user, settings):
    make_user(username="known", email="known@example.com")
    for _ in range(settings.SIGNIN_MAIL_LIMIT_PER_ADDRESS):
        assert forgot("known@example.com", ip="10.0.0.2").status_code == 302
    refused = forgot("known@example.com", ip="10.0.0.3")
    assert refused.status_code == 429 and refused.context["form"]["email"].value() == "known@example.com"
    assert OutboundEmail.objects.count() == settings.SIGNIN_MAIL_LIMIT_PER_ADDRESS
    # An unknown address counts the same (the limit itself reveals nothing).
    for _ in range(settings.SIGNIN_MAIL_LIMIT_PER_ADDRESS):
        forgot("nobody@example.com", ip="10.0.0.4")
    assert forgot("nobody@example.com", ip="10.0.0.5").status_code == 429
    settings.SIGNIN_MAIL_LIMIT_PER_IP = 2
    assert forgot("a@example.com", ip="10.9.9.9").status_code == 302
    assert forgot("b@example.com", ip="10.9.9.9").status_code == 302
    assert forgot("c@example.com", ip="10.9.9.9").status_code == 429


def test_import_sends_activation_to_new_people(org, client_for):
    from apps.departments.models import EmployeeImport

    rows = [
        {
            "employee_no": "N001",
            "username": "n1",
            "display_name": "新一",
            "email": "n1@example.com",
            "department": "sales",
        },
        {"employee_no": "N002", "username": "n2", "display_name": "新二", "email": "", "department": "sales"},
    ]
    hr = org["hr"]
    batch = EmployeeImport.objects.create(created_by=hr, filename="people.csv", rows=rows)
    response = client_for(hr).post(
        reverse("departments:employee_import_preview", args=[batch.pk]), {"send_activation": "1"}
    )
    assert response.status_code == 302
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["n1@example.com"]
    assert Invitation.objects.get().user.username == "n1"


def test_import_without_activation_sends_nothing(org, client_for):
    from apps.departments.models import EmployeeImport

    rows = [
        {"employee_no": "N003", "username": "n3", "display_name": "新三", "email": "n3@x.com", "department": "sales"}
    ]
    batch = EmployeeImport.objects.create(created_by=org["hr"], filename="people.csv", rows=rows)
    client_for(org["hr"]).post(reverse("departments:employee_import_preview", args=[batch.pk]))
    assert not OutboundEmail.objects.exists()


def test_admin_action_sends_activation_to_people_added_by_hand(org, client_for, newcomer):
    superuser = User.objects.create_superuser("root", "root@example.com", "pw-root-123")
    response = client_for(superuser).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "send_activation", "_selected_action": [newcomer.pk, org["staff"].pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["new@example.com"]


def test_invitations_cost_the_same_queries_for_10_or_100_people(django_assert_max_num_queries):
    def people(n, start):
        return User.objects.bulk_create(
            [User(username=f"r{start + i}", email=f"r{start + i}@example.com", password="!x") for i in range(n)]
        )

    few, many = people(10, 0), people(100, 10)
    with django_assert_max_num_queries(5):  # savepoint, outbox, invitations read + upsert, release
        assert services.invitations_send(users=few) == 10
    with django_assert_max_num_queries(5):  # savepoint, outbox, invitations read + upsert, release
        assert services.invitations_send(users=many) == 100
    assert services.invitations_send(users=few) == 10  # a resend counts
    assert Invitation.objects.get(user=few[0]).times_sent == 2 and OutboundEmail.objects.count() == 120


def test_a_reset_lifts_the_lockout_of_that_username(make_user, settings):
    make_user(username="locked", email="locked@example.com")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "locked", "password": "wrong"})
    forgot("locked@example.com")
    link = re.search(r"http://\S+/signin/password/reset/\S+/", OutboundEmail.objects.get().body_text).group(0)
    assert set_password(link, "Green-field-2026").status_code == 302
    assert (
        client.post(reverse("accounts:login"), {"username": "locked", "password": "Green-field-2026"}).status_code
        == 302
    )
