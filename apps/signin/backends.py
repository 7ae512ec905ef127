"""The ways of signing in. Every one runs behind django-axes (first in
AUTHENTICATION_BACKENDS) and is logged by signals.py.

- LocalPasswordBackend: the portal's own passwords, limited by LDAP_ALLOW_LOCAL_PASSWORD
  once a directory or SSO is configured.
- DirectoryBackend: LDAP / Active Directory (django-auth-ldap); the account is created or
  updated at sign-in, a disabled directory account is refused.
- CompanyOIDCBackend: single sign-on (mozilla-django-oidc); accounts matched by the
  provider's subject, then employee number, then mail: never by display name.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.utils import timezone

from .models import ExternalAccount

log = logging.getLogger("apps.signin")
OFF = {"0", "false", "off", "no", "none"}


def _refuse(request, reason: str):
    """Stop here (no later backend may try) and say why in the sign-in log."""
    if request is not None:
        request.signin_refusal = reason
    raise PermissionDenied(reason)


def link_external(user, *, source: str, subject: str) -> None:
    """Remember the person's directory / provider account (one per source)."""
    ExternalAccount.objects.filter(source=source, subject=subject).exclude(user=user).delete()
    ExternalAccount.objects.update_or_create(
        user=user, source=source, defaults={"subject": subject, "last_sign_in": timezone.now()}
    )


class LocalPasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not self.local_password_allowed(user):
            _refuse(request, "local password not allowed for this account")
        return user

    @staticmethod
    def local_password_allowed(user) -> bool:
        if not (settings.LDAP_ENABLED or settings.OIDC_ENABLED):
            return True  # nothing else to sign in with
        policy = str(settings.LOCAL_PASSWORDS).lower()
        if policy in OFF:
            return False
        if policy == "staff":
            return user.is_staff or user.is_superuser
        # Directory people use the directory password, never a stale local one.
        return not (settings.LDAP_ENABLED and ExternalAccount.objects.filter(user=user, source="ldap").exists())


try:
    from django_auth_ldap.backend import LDAPBackend
except ImportError:  # python-ldap not built here: the portal still runs without a directory
    LDAPBackend = object


class DirectoryBackend(LDAPBackend):
    def authenticate_ldap_user(self, ldap_user, password):
        import ldap

        from . import directory

        try:
            dn = ldap_user.dn
        except ldap.LDAPError as exc:  # directory down: say so; a local password may still work
            log.warning("directory search failed: %s", exc)
            return None
        if dn is None:
            return None  # not in the directory: a later backend (local password) may try
        if directory.is_disabled(dn):
            _refuse(ldap_user._request, "account disabled in the directory")
        user = ldap_user.authenticate(password)
        if user is None:
            return None
        if not user.is_active:
            _refuse(ldap_user._request, "account deactivated in the portal")
        if not user.groups.exists():  # created just now: everyone starts as staff
            from apps.accounts.services import user_set_roles

            user_set_roles(user=user, roles=["staff"])
        link_external(user, source="ldap", subject=dn)
        return user

    def get_or_build_user(self, username, ldap_user):
        """The person's account: by employee number when the directory has one (the HR
        import made the account), else by username."""
        User = get_user_model()
        number_attr = settings.AUTH_LDAP_USER_ATTR_MAP.get("employee_no")
        number = (ldap_user.attrs.get(number_attr.lower()) or [""])[0] if number_attr else ""
        user = User.objects.filter(employee_no=number).first() if number else None
        if user is None:
            user = User.objects.filter(username__iexact=username).first()
        if user is not None:
            return user, False
        return User(username=username), True


def _populate_department(sender, user, ldap_user, **kwargs):
    from . import directory

    department = directory.department_for(ldap_user.attrs)
    if department is not None:
        user.department = department


if LDAPBackend is not object:
    from django_auth_ldap.backend import populate_user

    populate_user.connect(_populate_department, sender=DirectoryBackend, dispatch_uid="signin_ldap_department")


from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # noqa: E402

from . import oidc  # noqa: E402


class CompanyOIDCBackend(oidc.DiscoveredSettings, OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Endpoints are looked up when a sign-in needs them (properties below), not here:
        # Django builds every backend for every password sign-in, and a provider that is
        # down must not break local passwords.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: oidc.endpoint("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: oidc.endpoint("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: oidc.endpoint("OIDC_OP_JWKS_ENDPOINT"))

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token is for another client")
        issuer = settings.OIDC_ISSUER
        if issuer and payload.get("iss", "").rstrip("/") != issuer:
            raise SuspiciousOperation("ID token from another issuer")
        return payload

    def verify_claims(self, claims):
        return bool(claims.get("sub")) and bool(oidc.claim(claims, "employee_no") or oidc.claim(claims, "email"))

    def filter_users_by_claims(self, claims):
        User = self.UserModel
        self.request.signin_username = oidc.claim(claims, "username") or oidc.claim(claims, "email")
        linked = User.objects.filter(external_accounts__source="oidc", external_accounts__subject=claims["sub"])
        if linked.exists():
            return linked
        number = oidc.claim(claims, "employee_no")
        if number:
            by_number = User.objects.filter(employee_no=number)
            if by_number.exists():
                return by_number
        email = oidc.claim(claims, "email")
        if email and claims.get("email_verified", True) is not False:
            return User.objects.filter(email__iexact=email)
        return User.objects.none()

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            _refuse(self.request, "no portal account matches the company account")
        if not user.is_active:
            _refuse(self.request, "account deactivated in the portal")
        return user

    def create_user(self, claims):
        user = self.UserModel(
            username=oidc.free_username(oidc.claim(claims, "username") or oidc.claim(claims, "email") or claims["sub"]),
            email=oidc.claim(claims, "email"),
            display_name=oidc.claim(claims, "name")[:100],
            employee_no=oidc.claim(claims, "employee_no") or None,
        )
        user.set_unusable_password()
        user.save()
        from apps.accounts.services import user_set_roles

        user_set_roles(user=user, roles=["staff"])
        link_external(user, source="oidc", subject=claims["sub"])
        log.info("created %s from single sign-on", user.username)
        return user

    def update_user(self, user, claims):
        changed = []
        for field, value in (("email", oidc.claim(claims, "email")), ("display_name", oidc.claim(claims, "name"))):
            if value and getattr(user, field) != value[:100]:
                setattr(user, field, value[:100] if field == "display_name" else value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        link_external(user, source="oidc", subject=claims["sub"])
        return user
