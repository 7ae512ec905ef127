"""Single sign-on with the company's OpenID Connect provider (企业微信 / 钉钉 / 飞书 gateways,
Keycloak, Azure AD, ADFS …). mozilla-django-oidc does the protocol; this module finds the
endpoints (explicit settings, else the issuer's discovery document, cached), maps claims,
and adds the portal's behaviour to its views (messages, the sign-in log, ending the
provider's session at logout)."""

import logging
import re
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc import views as oidc_views

log = logging.getLogger("apps.signin")
DISCOVERY_KEYS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_END_SESSION_ENDPOINT": "end_session_endpoint",
}
DISCOVERY_TTL = 3600


class ProviderUnavailable(Exception):
    pass


def discovery() -> dict:
    issuer = settings.OIDC_ISSUER
    if not issuer:
        return {}
    key = f"signin:oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(
                f"{issuer}/.well-known/openid-configuration",
                timeout=settings.OIDC_TIMEOUT,
                verify=settings.OIDC_VERIFY_SSL,
            )
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(str(exc)) from exc
        cache.set(key, document, DISCOVERY_TTL)
    return document


def endpoint(name: str) -> str:
    """An endpoint from its explicit setting, else from the issuer's discovery document."""
    explicit = getattr(settings, name, "")
    if explicit:
        return explicit
    return discovery().get(DISCOVERY_KEYS[name], "")


class DiscoveredSettings:
    """mozilla-django-oidc reads endpoints through get_settings(): answer from discovery."""

    @staticmethod
    def get_settings(attr, *args):
        if attr in DISCOVERY_KEYS:
            return endpoint(attr)
        return getattr(settings, attr, *args) if args else getattr(settings, attr)


def claim(claims: dict, field: str) -> str:
    name = getattr(settings, f"OIDC_CLAIM_{field.upper()}", "")
    value = claims.get(name, "") if name else ""
    return str(value).strip() if value is not None else ""


def free_username(wanted: str) -> str:
    """A username like Django's validator accepts, not taken yet (zhang.san, zhang.san2 …)."""
    base = re.sub(r"[^\w.@+-]", "", wanted.split("@")[0] if "@" in wanted else wanted)[:140] or "user"
    User = get_user_model()
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME or _("company account")


class AuthenticateView(DiscoveredSettings, oidc_views.OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        # Not the parent's __init__: the endpoint is looked up per request (discovery may fail).
        super(oidc_views.OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as exc:
            log.warning("OIDC provider unavailable: %s", exc)
            messages.error(request, _("The company sign-in service cannot be reached. Please try again later."))
            return HttpResponseRedirect(reverse("accounts:login"))
        return super().get(request)


class CallbackView(DiscoveredSettings, oidc_views.OIDCAuthenticationCallbackView):
    def get(self, request):
        try:
            return super().get(request)
        except (requests.RequestException, ProviderUnavailable) as exc:
            log.warning("OIDC sign-in failed talking to the provider: %s", exc)
            return self.login_failure()

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Your company account could not sign you in to the portal. "
                "If you have just joined, ask HR or an administrator to add you."
            ),
        )
        return HttpResponseRedirect(reverse("accounts:login"))


def end_session_url(request, id_token: str) -> str:
    """Where to send the browser so the provider ends its session too ("" if it has no such endpoint)."""
    try:
        url = endpoint("OIDC_OP_END_SESSION_ENDPOINT")
    except ProviderUnavailable:
        return ""
    if not url:
        return ""
    back = request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL))
    query = {"id_token_hint": id_token, "post_logout_redirect_uri": back, "client_id": settings.OIDC_RP_CLIENT_ID}
    return f"{url}?{urlencode(query)}"
