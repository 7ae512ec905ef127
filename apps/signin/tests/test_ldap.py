"""Directory sign-in against a real OpenLDAP slapd (servers.py) holding a small AD-like
directory (directory/company.ldif): sAMAccountName, employeeID, department, the
ACCOUNTDISABLE bit of userAccountControl."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from apps.departments.tests.factories import DepartmentFactory
from apps.signin.models import ExternalAccount, SignInEvent

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def departments(db):
    return {
        "sales": DepartmentFactory(code="sales", name="销售部"),
        "ops": DepartmentFactory(code="ops", name="运营管理部"),
    }


def sign_in(username, password):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client, response


def test_good_password_creates_the_account_with_mapped_attributes(ldap_env, departments):
    client, response = sign_in("alice", "alice-pw")
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    alice = User.objects.get(username="alice")
    assert (alice.display_name, alice.email, alice.employee_no, alice.first_name, alice.last_name) == (
        "王爱丽",
        "alice@example.com",
        "E1001",
        "Alice",
        "Wang",
    )
    assert alice.department == departments["sales"]  # "Sales Dept" through LDAP_DEPARTMENT_MAP
    assert not alice.has_usable_password()  # the password stays in the directory
    assert list(alice.groups.values_list("name", flat=True)) == ["staff"]
    assert ExternalAccount.objects.get(user=alice).subject.lower() == "cn=alice wang,ou=people,dc=example,dc=com"
    event = SignInEvent.objects.get(kind=SignInEvent.Kind.LOGIN)
    assert (event.username, event.method, event.ip_address) == ("alice", "ldap", "127.0.0.1")


def test_existing_account_found_by_employee_number_and_updated(ldap_env, departments, make_user):
    carol = make_user(username="c.zhao", employee_no="E1003", display_name="赵", department=departments["sales"])
    client, response = sign_in("carol", "carol-pw")
    assert response.status_code == 302
    carol.refresh_from_db()
    assert (carol.display_name, carol.email, carol.department) == (
        "Carol Zhao",
        "carol@example.com",
        departments["ops"],
    )
    assert User.objects.filter(employee_no="E1003").count() == 1


def test_wrong_password_refused_and_logged(ldap_env, departments):
    client, response = sign_in("alice", "not-her-password")
    assert response.status_code == 200 and not User.objects.filter(username="alice").exists()
    failed = SignInEvent.objects.get(kind=SignInEvent.Kind.FAILED)
    assert failed.username == "alice"


def test_disabled_directory_account_refused_even_with_a_local_password(ldap_env, departments, make_user):
    make_user(username="bob", employee_no="E1002")  # has a local password (pw-test-123)
    _client, response = sign_in("bob", "bob-pw")
    assert response.status_code == 200
    _client, response = sign_in("bob", "pw-test-123")
    assert response.status_code == 200
    failures = SignInEvent.objects.filter(kind=SignInEvent.Kind.FAILED, username="bob")
    assert [e.detail for e in failures] == ["account disabled in the directory"] * 2


def test_disabled_in_portal_refused(ldap_env, departments, make_user):
    make_user(username="alice", employee_no="E1001", is_active=False)
    _client, response = sign_in("alice", "alice-pw")
    assert response.status_code == 200
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.FAILED, detail__contains="deactivated").exists()


def test_local_passwords_only_where_the_settings_say(ldap_env, settings, departments, make_user):
    make_user(username="admin", roles=["staff", "admin"])  # not in the directory
    assert sign_in("admin", "pw-test-123")[1].status_code == 302
    # A directory person's old local password no longer works once they came from the directory.
    sign_in("alice", "alice-pw")
    alice = User.objects.get(username="alice")
    alice.set_password("old-local-pw")
    alice.save()
    assert sign_in("alice", "old-local-pw")[1].status_code == 200
    settings.LOCAL_PASSWORDS = "staff"
    make_user(username="clerk")
    assert sign_in("clerk", "pw-test-123")[1].status_code == 200
    assert sign_in("admin", "pw-test-123")[1].status_code == 302  # admin is staff
    settings.LOCAL_PASSWORDS = "0"
    assert sign_in("admin", "pw-test-123")[1].status_code == 200


def test_directory_down_leaves_local_passwords(apply_env, make_user):
    apply_env(LDAP_URL="ldap://127.0.0.1:9/", LDAP_SEARCH_BASE="dc=example,dc=com", LDAP_TIMEOUT=2)
    make_user(username="admin", roles=["staff", "admin"])
    assert sign_in("admin", "pw-test-123")[1].status_code == 302


def test_lockout_applies_to_directory_sign_in(ldap_env, departments, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("alice", "wrong")
    _client, response = sign_in("alice", "alice-pw")
    assert response.status_code == 429
    assert not User.objects.filter(username="alice").exists()  # the directory was not even asked


def test_no_reset_mail_for_directory_accounts(ldap_env, departments, make_user):
    from apps.notifications.models import OutboundEmail

    sign_in("alice", "alice-pw")
    make_user(username="local.one", email="local@example.com")
    client = Client()
    for address in ("alice@example.com", "local@example.com"):
        assert client.post(reverse("signin:password_forgot"), {"email": address}).status_code == 302
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["local@example.com"]


def test_start_tls_with_the_company_ca(ldap_env, apply_env, slapd, departments):
    variables = {
        "LDAP_URL": slapd.url,
        "LDAP_BIND_DN": "cn=portal-reader,dc=example,dc=com",
        "LDAP_BIND_PASSWORD": "reader-pw",
        "LDAP_SEARCH_BASE": "ou=people,dc=example,dc=com",
        "LDAP_USER_FILTER": "(sAMAccountName=%(user)s)",
        "LDAP_ATTR_MAP": "display_name=displayName,email=mail,employee_no=employeeID",
        "LDAP_START_TLS": 1,
    }
    # A server certificate the portal cannot verify: no sign-in (and no password sent in clear).
    # (First: libldap keeps a TLS context per process once a CA was loaded; a portal process
    # has one configuration for its whole life, a test process has several.)
    apply_env(**variables)
    assert sign_in("carol", "carol-pw")[1].status_code == 200
    assert not User.objects.filter(username="carol").exists()
    apply_env(**variables, LDAP_TLS_CA_FILE=slapd.ca_file)
    assert sign_in("alice", "alice-pw")[1].status_code == 302
