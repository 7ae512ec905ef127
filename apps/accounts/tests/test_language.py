import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_portal_speaks_chinese_by_default_even_to_an_english_browser(org, client_for):
    response = client_for(org["staff"]).get(reverse("departments:org_chart"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response.headers["Content-Language"] == "zh-hans"
    assert "组织架构" in response.content.decode()


def test_choosing_english_is_remembered_on_the_account(org, client_for):
    staff = org["staff"]
    client = client_for(staff)
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "/org/"})
    assert response.status_code == 302 and response["Location"] == "/org/"
    staff.refresh_from_db()
    assert staff.preferred_language == "en"
    # A new session (another browser) gets English from the account, not the cookie.
    page = client_for(staff).get(reverse("departments:org_chart"))
    assert page.headers["Content-Language"] == "en"
    assert "Organisation chart" in page.content.decode()


def test_the_login_page_switch_works_before_signing_in(client):
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/accounts/login/"})
    page = client.get(reverse("accounts:login"))
    assert page.headers["Content-Language"] == "en" and "Sign in" in page.content.decode()


def test_the_switch_never_redirects_off_site(client):
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_an_unknown_language_falls_back_to_chinese(client):
    client.post(reverse("accounts:set_language"), {"language": "xx"})
    assert client.get(reverse("accounts:login")).headers["Content-Language"] == "zh-hans"


def test_our_translations_win_over_third_party_catalogues(org, client_for):
    # django-celery-beat translates "Name" as 任务名 (task name); a member list must say 姓名.
    page = client_for(org["staff"]).get(reverse("departments:department", args=[org["sales_dept"].code]))
    html = page.content.decode()
    assert "<th>姓名</th>" in html and "任务名" not in html
