"""Brute-force protection (django-axes) and the sign-in log, for every way of signing in."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.signin.models import SignInEvent

pytestmark = pytest.mark.django_db
NOW = timezone.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(480))


def attempt(username, password, ip="10.1.1.1", client=None, language=""):
    client = client or Client()
    if language:
        client.cookies["django_language"] = language
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_right_password_refused_after_the_failure_limit_until_the_cool_off(make_user, settings):
    make_user(username="target")
    with time_machine.travel(NOW, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert attempt("target", "guess").status_code == 200
        locked = attempt("target", "guess")
        assert locked.status_code == 429
        assert "登录已暂停" in locked.content.decode()
        # The right password, from another address, is refused too (per-username lockout).
        assert attempt("target", "pw-test-123", ip="10.2.2.2").status_code == 429
        english = attempt("target", "pw-test-123", ip="10.2.2.3", language="en")
        assert "Sign-in paused" in english.content.decode() and "15 minutes" in english.content.decode()
    with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
        assert attempt("target", "pw-test-123", ip="10.2.2.2").status_code == 302


def test_one_address_trying_many_usernames_is_locked_out_at_its_own_higher_limit(make_user, settings):
    make_user(username="victim")
    assert settings.LOGIN_IP_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT  # an office behind one NAT address
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    for n in range(7):
        attempt(f"guess{n}", "x", ip="10.6.6.6")
    assert attempt("victim", "pw-test-123", ip="10.6.6.6").status_code == 302  # colleagues still get in
    attempt("guess7", "x", ip="10.6.6.6")
    assert attempt("victim", "pw-test-123", ip="10.6.6.6").status_code == 429
    assert attempt("victim", "pw-test-123", ip="10.7.7.7").status_code == 302  # the person elsewhere is fine


def test_single_sign_on_failures_count_per_address_not_for_everyone(settings):
    """They carry no username: axes alone would pool them and lock single sign-on for all."""
    from django.contrib.auth import authenticate
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    def sso_failure(ip):
        request = RequestFactory().get("/signin/oidc/callback/", REMOTE_ADDR=ip)
        request.session = SessionStore()
        request.signin_username = ""
        authenticate(request=request, nonce="n")  # no backend accepts it: a failure
        return request

    settings.LOGIN_IP_FAILURE_LIMIT = 6
    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        assert not getattr(sso_failure(f"10.20.0.{n}"), "axes_locked_out", False)
    for _ in range(5):
        sso_failure("10.21.0.1")
    assert sso_failure("10.21.0.1").axes_locked_out is True


def test_events_are_logged_with_who_where_and_how(make_user, settings):
    person = make_user(username="logged")
    attempt("logged", "wrong", ip="10.3.3.3")
    client = Client()
    attempt("logged", "pw-test-123", ip="10.3.3.4", client=client)
    client.post(reverse("signin:logout"), REMOTE_ADDR="10.3.3.4")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("logged", "wrong", ip="10.3.3.5")
    rows = list(SignInEvent.objects.order_by("id").values_list("kind", "username", "ip_address", "method"))
    assert rows[:3] == [
        ("failed", "logged", "10.3.3.3", ""),
        ("login", "logged", "10.3.3.4", "local"),
        ("logout", "logged", "10.3.3.4", ""),
    ]
    assert ("locked_out", "logged", "10.3.3.5", "") in rows
    assert SignInEvent.objects.filter(kind="failed", user=person).count() == settings.AXES_FAILURE_LIMIT


def test_refused_authorisation_is_logged(org, client_for):
    # Django admin refuses a non-staff user with 403 on its pages' actions; any 403 is logged.
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from apps.signin.middleware import SignInMiddleware

    def refuse(request):
        from django.views.defaults import permission_denied

        return permission_denied(request, PermissionDenied())

    request = RequestFactory().get("/kpis/secret/", REMOTE_ADDR="10.4.4.4")
    request.user = org["staff"]
    assert SignInMiddleware(refuse)(request).status_code == 403
    event = SignInEvent.objects.get(kind="refused")
    assert (event.user, event.ip_address, event.path) == (org["staff"], "10.4.4.4", "/kpis/secret/")
    # A real 403 through the whole stack: a POST without its CSRF token.
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.post(reverse("accounts:login"), {"username": "x", "password": "y"}, REMOTE_ADDR="10.4.4.5")
    assert SignInEvent.objects.filter(kind="refused", ip_address="10.4.4.5").exists()


def test_administrator_unlocks_a_username(org, client_for, settings):
    victim = org["staff"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(victim.username, "wrong", ip="10.5.5.5")
    admin = client_for(org["admin"])
    page = admin.get(reverse("signin:lockouts"))
    assert victim.username in page.content.decode()
    response = admin.post(reverse("signin:unlock"), {"username": victim.username})
    assert response.status_code == 302
    assert attempt(victim.username, "pw-test-123", ip="10.5.5.6").status_code == 302
    unlocked = SignInEvent.objects.get(kind="unlocked")
    assert unlocked.username == victim.username and "admin" in unlocked.detail


def test_administrator_unlocks_an_address(org, client_for, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    for n in range(6):
        attempt(f"nobody{n}", "wrong", ip="10.8.8.8")
    admin = client_for(org["admin"])
    assert "10.8.8.8" in admin.get(reverse("signin:lockouts")).content.decode()
    admin.post(reverse("signin:unlock"), {"ip_address": "10.8.8.8"})
    assert attempt(org["staff"].username, "pw-test-123", ip="10.8.8.8").status_code == 302
    assert "10.8.8.8" not in admin.get(reverse("signin:lockouts")).content.decode()


def test_unlock_without_a_target_says_so(org, client_for):
    response = client_for(org["admin"]).post(reverse("signin:unlock"), {}, follow=True)
    assert response.status_code == 200
    assert "请指明要解锁的用户名或地址" in response.content.decode()


def test_sso_and_directory_attempts_share_the_lockout(apply_env, make_user, settings, client):
    """A locked-out address cannot start over through another way in: every backend runs behind axes."""
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    apply_env(LDAP_URL="ldap://127.0.0.1:9/", LDAP_SEARCH_BASE="dc=example,dc=com", LDAP_TIMEOUT=1)
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    make_user(username="shared")
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    for n in range(6):
        attempt(f"shared{n}", "wrong", ip="10.9.0.1")
    request = RequestFactory().get("/signin/oidc/callback/?code=x&state=y", REMOTE_ADDR="10.9.0.1")
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    assert authenticate(request=request, nonce="n") is None
    assert request.axes_locked_out is True


def test_hostile_input_is_logged_not_a_500(make_user):
    client = Client()
    url = reverse("accounts:login")
    # NUL is refused by the form; a 300-character username reaches the backends (Django sets
    # the field's max_length after building its validators) and must not break the lockout.
    assert client.post(url, {"username": "adm\x00in", "password": "p\x00w"}).status_code == 200
    assert client.post(url, {"username": "x" * 300, "password": "p"}).status_code == 200
    # What reaches the log is stored safely.
    response = client.post(url, {"username": "admin", "password": "p"}, HTTP_USER_AGENT="evil\x00agent" + "y" * 400)
    assert response.status_code == 200
    assert SignInEvent.objects.get(kind="failed", username="x" * 150)
    event = SignInEvent.objects.get(kind="failed", username="admin")
    assert event.user_agent.startswith("evilagent") and len(event.user_agent) == 255


def test_a_success_clears_that_usernames_failures_only(make_user, settings):
    make_user(username="typo")
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("typo", "wrong", ip="10.30.0.1")
    assert attempt("typo", "pw-test-123", ip="10.30.0.1").status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("typo", "wrong", ip="10.30.0.1")
    assert attempt("typo", "pw-test-123", ip="10.30.0.1").status_code == 302  # counted afresh
    # Guesses at other people's passwords from the address are not laundered by a success.
    for n in range(4):
        attempt(f"other{n}", "wrong", ip="10.30.0.1")
    assert attempt("typo", "pw-test-123", ip="10.30.0.1").status_code == 302
    for n in range(4, 8):
        attempt(f"other{n}", "wrong", ip="10.30.0.1")
    assert attempt("typo", "pw-test-123", ip="10.30.0.1").status_code == 429


def test_the_log_is_kept_for_signin_log_days(settings):
    from apps.scheduling.registry import get as get_job

    with time_machine.travel(NOW, tick=False):
        SignInEvent.objects.create(kind="failed", username="old")
    with time_machine.travel(NOW + timedelta(days=300), tick=False):
        SignInEvent.objects.create(kind="failed", username="recent")
    prune = get_job("signin.prune_events").func
    assert prune(NOW + timedelta(days=366)) == 1
    assert list(SignInEvent.objects.values_list("username", flat=True)) == ["recent"]
