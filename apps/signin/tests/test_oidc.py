"""Single sign-on against a real OIDC provider on 127.0.0.1 (tests/oidc_provider.py): the
browser's steps are made with Django's test client (portal) and requests (provider); the
portal's own calls to the provider (discovery, token, JWKS, userinfo) are real HTTP."""

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from apps.signin.models import ExternalAccount, SignInEvent

pytestmark = pytest.mark.django_db
User = get_user_model()


def sso_sign_in(client: Client, provider, username: str, password: str):
    """Start at the portal, sign in at the provider, come back: the portal's last response."""
    start = client.get(reverse("signin:oidc_authenticate"))
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(provider.issuer + "/authorize?")
    params = {k: v[0] for k, v in parse_qs(urlparse(authorize).query).items()}
    assert params["code_challenge_method"] == "S256" and params["nonce"]
    answer = requests.post(
        f"{provider.issuer}/authorize",
        data={**params, "username": username, "password": password},
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text
    back = urlparse(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_login_page_shows_the_company_button_only_when_configured(client, settings, oidc_env):
    page = client.get(reverse("accounts:login"))
    assert reverse("signin:oidc_authenticate") in page.content.decode()
    settings.OIDC_ENABLED = False
    page = client.get(reverse("accounts:login"))
    assert reverse("signin:oidc_authenticate") not in page.content.decode()
    assert client.get(reverse("signin:oidc_authenticate")).status_code == 404


def test_existing_account_matched_by_employee_number_not_by_name(oidc_env, oidc_provider, make_user):
    person = make_user(username="zhang.wei", employee_no="E2001", email="old@example.com", display_name="张伟")
    make_user(username="other", employee_no="E2999", email="other@example.com", display_name="Wei Zhang SSO")
    oidc_provider.add_user(
        "wzhang",
        "pw-1",
        preferred_username="wzhang",
        email="wei.zhang@example.com",
        employee_number="E2001",
        name="Wei Zhang SSO",
    )
    client = Client()
    response = sso_sign_in(client, oidc_provider, "wzhang", "pw-1")
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).wsgi_request.user == person
    person.refresh_from_db()
    assert person.email == "wei.zhang@example.com"  # updated from the provider
    assert ExternalAccount.objects.get(user=person, source="oidc").subject == "sub-wzhang"
    login = SignInEvent.objects.get(kind=SignInEvent.Kind.LOGIN)
    assert (login.user, login.method) == (person, "oidc")


def test_existing_account_matched_by_mail(oidc_env, oidc_provider, make_user):
    person = make_user(username="li.na", employee_no="E2002", email="Li.Na@example.com")
    oidc_provider.add_user("lina", "pw-2", preferred_username="lina", email="li.na@example.com")
    client = Client()
    sso_sign_in(client, oidc_provider, "lina", "pw-2")
    assert client.get(reverse("core:home")).wsgi_request.user == person


def test_unknown_account_refused_when_auto_creation_is_off(oidc_env, oidc_provider):
    oidc_provider.add_user(
        "newbie", "pw-3", preferred_username="newbie", email="newbie@example.com", employee_number="E2100"
    )
    client = Client()
    response = sso_sign_in(client, oidc_provider, "newbie", "pw-3")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert not User.objects.filter(email="newbie@example.com").exists()
    assert not client.get(reverse("core:home")).wsgi_request.user.is_authenticated
    failed = SignInEvent.objects.get(kind=SignInEvent.Kind.FAILED)
    assert failed.method == "oidc" and "no portal account" in failed.detail and failed.username == "newbie"
    page = client.get(reverse("accounts:login"))
    assert "ask HR or an administrator" in page.content.decode() or "人力资源部" in page.content.decode()


def test_new_account_created_when_auto_creation_is_on(apply_env, oidc_provider):
    from .conftest import CLIENT_ID, CLIENT_SECRET

    apply_env(
        OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET, OIDC_ISSUER=oidc_provider.issuer, OIDC_CREATE_USER=1
    )
    oidc_provider.add_user(
        "chen",
        "pw-4",
        preferred_username="chen.jing",
        email="chen.jing@example.com",
        employee_number="E2200",
        name="陈静",
    )
    client = Client()
    sso_sign_in(client, oidc_provider, "chen", "pw-4")
    user = client.get(reverse("core:home")).wsgi_request.user
    assert (user.username, user.display_name, user.employee_no, user.has_usable_password()) == (
        "chen.jing",
        "陈静",
        "E2200",
        False,
    )
    assert list(user.groups.values_list("name", flat=True)) == ["staff"]


def test_deactivated_account_refused(oidc_env, oidc_provider, make_user):
    make_user(username="gone", employee_no="E2300", is_active=False)
    oidc_provider.add_user("gone", "pw-5", email="gone@example.com", employee_number="E2300")
    client = Client()
    sso_sign_in(client, oidc_provider, "gone", "pw-5")
    assert not client.get(reverse("accounts:login")).wsgi_request.user.is_authenticated
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.FAILED, detail__contains="deactivated").exists()


def test_token_for_another_client_is_refused(oidc_env, oidc_provider, make_user):
    make_user(username="wang", employee_no="E2400")
    oidc_provider.add_user("wang", "pw-6", email="wang@example.com", employee_number="E2400")
    oidc_provider.audience_override = "some-other-app"
    client = Client()
    sso_sign_in(client, oidc_provider, "wang", "pw-6")
    assert not client.get(reverse("accounts:login")).wsgi_request.user.is_authenticated


def test_logout_ends_the_portal_session_and_the_providers(oidc_env, oidc_provider, make_user):
    make_user(username="zhao", employee_no="E2500")
    oidc_provider.add_user("zhao", "pw-7", email="zhao@example.com", employee_number="E2500")
    client = Client()
    sso_sign_in(client, oidc_provider, "zhao", "pw-7")
    assert client.get(reverse("core:home")).status_code == 200
    response = client.post(reverse("signin:logout"))
    assert response.status_code == 302 and response["Location"].startswith(f"{oidc_provider.issuer}/end_session?")
    hint = parse_qs(urlparse(response["Location"]).query)["id_token_hint"][0]
    assert hint.count(".") == 2  # the ID token the provider issued
    follow = requests.get(response["Location"], allow_redirects=False)
    assert follow.headers["Location"] == "http://testserver" + reverse("accounts:login")
    home = client.get(reverse("core:home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("accounts:login"))
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.LOGOUT).count() == 1


def test_provider_down_leaves_local_passwords_working(apply_env, make_user, client):
    apply_env(OIDC_CLIENT_ID="x", OIDC_CLIENT_SECRET="y", OIDC_ISSUER="http://127.0.0.1:9")  # nothing listens
    make_user(username="local")
    response = client.post(reverse("accounts:login"), {"username": "local", "password": "pw-test-123"})
    assert response.status_code == 302
    start = Client().get(reverse("signin:oidc_authenticate"))
    assert start.status_code == 302 and start["Location"] == reverse("accounts:login")
