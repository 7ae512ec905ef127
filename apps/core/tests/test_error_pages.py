"""404, 403 and 500 in the portal's layout and the user's language, with a way back; the
500 page renders with no database and no request context; the favicon."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from apps.core.views import server_error

pytestmark = pytest.mark.urls("apps.core.tests.urls_errors")

TEXTS = {
    404: {"zh-hans": "页面不存在", "en": "Page not found"},
    403: {"zh-hans": "无权访问", "en": "Not allowed"},
    500: {"zh-hans": "服务器出了点问题", "en": "Something went wrong on our side"},
}
HOME = {"zh-hans": "返回首页", "en": "Back to the home page"}


@pytest.fixture
def production(settings):
    settings.DEBUG = False


def _client(user, language):
    client = Client(raise_request_exception=False)
    if user is not None:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        client.force_login(user)
    client.cookies["django_language"] = language
    return client


def _assert_error_page(response, status, language, layout=True):
    html = response.content.decode()
    assert response.status_code == status
    assert TEXTS[status][language] in html and HOME[language] in html
    other = "en" if language == "zh-hans" else "zh-hans"
    assert TEXTS[status][other] not in html
    assert 'href="/"' in html and "data-history-back" in html  # the ways back
    assert 'rel="icon"' in html and "favicon.svg" in html
    assert ("portal-topbar" in html) == layout
    assert f'lang="{"zh-CN" if language == "zh-hans" else "en"}"' in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_unknown_address_gives_the_404_page_in_the_layout_and_language(production, org, language):
    response = _client(org["staff"], language).get("/no-such-page/")
    _assert_error_page(response, 404, language)
    assert org["staff"].name in response.content.decode()  # the signed-in layout, with its menu


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_404_for_someone_not_signed_in_speaks_the_language_of_the_cookie(production, db, language):
    response = _client(None, language).get("/no-such-page/")
    _assert_error_page(response, 404, language, layout=False)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_refusal_gives_the_403_page_in_the_layout_and_language(production, org, language):
    response = _client(org["staff"], language).get("/test-errors/forbidden/")
    _assert_error_page(response, 403, language)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_bug_gives_the_500_page_with_debug_off_in_the_language(production, org, language):
    response = _client(org["staff"], language).get("/test-errors/broken/")
    _assert_error_page(response, 500, language, layout=True)
    assert org["staff"].name not in response.content.decode()  # nothing of the request's user


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_500_page_renders_with_the_database_unreachable_and_no_request_context(django_db_blocker, language):
    request = RequestFactory().get("/anything/")  # no session, no user, no middleware ran
    with django_db_blocker.block(), translation.override(language):
        response = server_error(request)
    _assert_error_page(response, 500, language, layout=True)


def test_if_even_the_500_template_fails_a_plain_answer_in_both_languages_goes_out(monkeypatch):
    from django.template import loader

    def broken(name):
        raise RuntimeError("template storage gone")

    monkeypatch.setattr(loader, "get_template", broken)
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and response["Content-Type"].startswith("text/plain")
    assert "服务器出错" in response.content.decode() and "Server error" in response.content.decode()


def test_the_favicon_is_served_as_svg_and_ico_without_signing_in(db):
    assert finders.find("favicon.svg") and finders.find("favicon.ico")
    with open(finders.find("favicon.ico"), "rb") as f:
        assert f.read(4) == b"\x00\x00\x01\x00"  # an ICO header
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.ico")
    assert reverse("core:favicon") == "/favicon.ico"
