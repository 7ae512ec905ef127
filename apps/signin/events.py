"""Writing the sign-in log. Every row comes through `record`, called by signal receivers
(signals.py) and by the few places that refuse on their own (unlock, 403 responses)."""

import logging

from django.conf import settings

from .models import SignInEvent

log = logging.getLogger("apps.signin")
METHODS = {
    "apps.signin.backends.LocalPasswordBackend": "local",
    "apps.signin.backends.DirectoryBackend": "ldap",
    "apps.signin.backends.CompanyOIDCBackend": "oidc",
}


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind LOGIN_PROXY_COUNT trusted proxies the
    entry they added to X-Forwarded-For (never one the client could forge)."""
    if request is None:
        return None
    proxies = getattr(settings, "LOGIN_PROXY_COUNT", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def method_of(request, user=None) -> str:
    backend = getattr(user, "backend", "") or ""
    if backend in METHODS:
        return METHODS[backend]
    path = getattr(request, "path", "") or ""
    return "oidc" if "/oidc/" in path else ""


def _clean(text: str, size: int) -> str:
    # Attackers send anything: PostgreSQL refuses NUL in text, and the columns have a size.
    return (text or "").replace("\x00", "")[:size]


def record(kind: str, *, request=None, username: str = "", user=None, method: str = "", detail: str = "") -> None:
    meta = getattr(request, "META", {}) if request is not None else {}
    SignInEvent.objects.create(
        kind=kind,
        username=_clean(username or (user.get_username() if user is not None else ""), 150),
        user=user if user is not None and user.pk else None,
        ip_address=client_ip(request),
        method=method,
        path=_clean(getattr(request, "path", ""), 300),
        user_agent=_clean(meta.get("HTTP_USER_AGENT", ""), 300),
        detail=_clean(detail, 300),
    )
    log.info("sign-in %s %s from %s", kind, username or user, client_ip(request))


def axes_username(request, credentials) -> str | None:
    """The username django-axes counts and stores: as axes reads it, but at most 150
    characters and without NUL (Django's login form lets a 300-character username reach the
    backends, and axes' varchar(255) column would turn it into a 500)."""
    source = credentials if credentials else getattr(request, "data", getattr(request, "POST", {}))
    username = source.get("username") if source else None
    return username.replace("\x00", "")[:150] if isinstance(username, str) else username
