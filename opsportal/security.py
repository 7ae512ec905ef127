"""Refuse to serve in production mode with the development SECRET_KEY: sessions, password
reset links and CSRF tokens would be forgeable by anyone who has read this repository."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_own_secret_key() -> None:
    if settings.DEBUG:
        return
    key = settings.SECRET_KEY or ""
    if key == settings.DEV_SECRET_KEY or key.startswith("django-insecure-") or len(set(key)) < 5 or len(key) < 32:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set (or is the development key) while DEBUG is off: set SECRET_KEY to a long "
            "random value of your own, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
