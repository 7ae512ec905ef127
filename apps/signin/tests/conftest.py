import environ
import pytest

from apps.signin.conf import signin_settings

from .oidc_provider import Provider
from .servers import free_port, slapd  # noqa: F401  (the session fixture)

CLIENT_ID, CLIENT_SECRET = "opsportal", "s3cret-for-tests"


@pytest.fixture(autouse=True)
def _fresh_signin_state(settings):
    """Rate-limit counters and the cached discovery document live in Redis, outside the test
    transaction: each xdist worker gets its own key prefix, and starts each test without them."""
    import os

    from django.core.cache import cache

    prefix = f"signin-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": prefix}}
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{prefix}:*signin:*"):
        client.delete(key)
    yield


@pytest.fixture
def apply_env(settings, monkeypatch):
    """apply_env(LDAP_URL=..., ...): the sign-in settings as the portal builds them from the
    environment (apps/signin/conf.py), on top of the test settings."""

    def apply(**variables):
        for name in ("LDAP_URL", "OIDC_CLIENT_ID"):
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, str(value))
        for name, value in signin_settings(environ.Env()).items():
            setattr(settings, name, value)
        return settings

    return apply


@pytest.fixture
def ldap_env(apply_env, slapd):  # noqa: F811
    """The test directory, configured like an Active Directory."""
    return apply_env(
        LDAP_URL=slapd.url,
        LDAP_BIND_DN="cn=portal-reader,dc=example,dc=com",
        LDAP_BIND_PASSWORD="reader-pw",
        LDAP_SEARCH_BASE="ou=people,dc=example,dc=com",
        LDAP_USER_FILTER="(sAMAccountName=%(user)s)",
        LDAP_USERNAME_ATTR="sAMAccountName",
        LDAP_ATTR_MAP="display_name=displayName,email=mail,employee_no=employeeID,first_name=givenName,last_name=sn",
        LDAP_DEPARTMENT_ATTR="department",
        LDAP_DEPARTMENT_MAP="Sales Dept=sales",
        LDAP_SYNC_FILTER="(objectClass=adUser)",
    )


@pytest.fixture(scope="session")
def oidc_provider():
    provider = Provider(
        free_port(8152),
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri="http://testserver/signin/oidc/callback/",
    ).start()
    yield provider
    provider.stop()


@pytest.fixture
def oidc_env(apply_env, oidc_provider):
    oidc_provider.audience_override = None
    return apply_env(OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET, OIDC_ISSUER=oidc_provider.issuer)
