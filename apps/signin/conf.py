"""Sign-in settings from the environment: lockout (django-axes), mail links, the company
directory (LDAP / AD via django-auth-ldap) and single sign-on (OIDC via mozilla-django-oidc).

settings.py calls `signin_settings(env)` once; with none of these variables set the portal
signs in with local passwords only, as before. Kept out of settings.py so that file stays a
list of blocks, and because django-auth-ldap wants `LDAPSearch` objects built from strings.
"""

DISABLED_AD_FILTER = "(userAccountControl:1.2.840.113556.1.4.803:=2)"


def _pairs(text: str) -> dict[str, str]:
    """ "a=b,c=d" -> {"a": "b", "c": "d"} (blank entries ignored)."""
    result = {}
    for item in text.split(","):
        key, sep, value = item.partition("=")
        if sep and key.strip() and value.strip():
            result[key.strip()] = value.strip()
    return result


def ldap_settings(env) -> dict:
    url = env("LDAP_URL", default="")
    if not url:
        return {"LDAP_ENABLED": False}
    import ldap
    from django_auth_ldap.config import LDAPSearch

    base = env("LDAP_SEARCH_BASE")
    user_filter = env("LDAP_USER_FILTER", default="(uid=%(user)s)")
    options = {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: env.int("LDAP_TIMEOUT", default=10)}
    ca_file = env("LDAP_TLS_CA_FILE", default="")
    if ca_file:
        options[ldap.OPT_X_TLS_CACERTFILE] = ca_file
    if env.bool("LDAP_TLS_INSECURE", default=False):
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_NEVER
    if ca_file or env.bool("LDAP_TLS_INSECURE", default=False):
        options[ldap.OPT_X_TLS_NEWCTX] = 0  # last: applies the TLS options above
    return {
        "LDAP_ENABLED": True,
        "AUTH_LDAP_SERVER_URI": url,
        "AUTH_LDAP_BIND_DN": env("LDAP_BIND_DN", default=""),
        "AUTH_LDAP_BIND_PASSWORD": env("LDAP_BIND_PASSWORD", default=""),
        "AUTH_LDAP_START_TLS": env.bool("LDAP_START_TLS", default=False),
        "AUTH_LDAP_CONNECTION_OPTIONS": options,
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(base, ldap.SCOPE_SUBTREE, user_filter),
        "AUTH_LDAP_USER_ATTR_MAP": _pairs(
            env(
                "LDAP_ATTR_MAP",
                default="display_name=displayName,email=mail,employee_no=employeeNumber,first_name=givenName,last_name=sn",
            )
        ),
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_CACHE_TIMEOUT": 0,
        # Our own: the sync lists every person under this base with this filter.
        "LDAP_SEARCH_BASE": base,
        "LDAP_USERNAME_ATTR": env("LDAP_USERNAME_ATTR", default="uid"),
        "LDAP_SYNC_FILTER": env("LDAP_SYNC_FILTER", default="(objectClass=person)"),
        "LDAP_DISABLED_FILTER": env("LDAP_DISABLED_FILTER", default=DISABLED_AD_FILTER),
        "LDAP_DEPARTMENT_ATTR": env("LDAP_DEPARTMENT_ATTR", default=""),
        "LDAP_DEPARTMENT_MAP": _pairs(env("LDAP_DEPARTMENT_MAP", default="")),
    }


def oidc_settings(env) -> dict:
    client_id = env("OIDC_CLIENT_ID", default="")
    if not client_id:
        return {"OIDC_ENABLED": False}
    return {
        "OIDC_ENABLED": True,
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": env("OIDC_CLIENT_SECRET", default=""),
        "OIDC_ISSUER": env("OIDC_ISSUER", default="").rstrip("/"),
        # Explicit endpoints win over the issuer's discovery document.
        "OIDC_OP_AUTHORIZATION_ENDPOINT": env("OIDC_AUTHORIZATION_ENDPOINT", default=""),
        "OIDC_OP_TOKEN_ENDPOINT": env("OIDC_TOKEN_ENDPOINT", default=""),
        "OIDC_OP_USER_ENDPOINT": env("OIDC_USERINFO_ENDPOINT", default=""),
        "OIDC_OP_JWKS_ENDPOINT": env("OIDC_JWKS_ENDPOINT", default=""),
        "OIDC_OP_END_SESSION_ENDPOINT": env("OIDC_END_SESSION_ENDPOINT", default=""),
        "OIDC_RP_SIGN_ALGO": env("OIDC_SIGN_ALGO", default="RS256"),
        "OIDC_RP_SCOPES": env("OIDC_SCOPES", default="openid email profile"),
        "OIDC_CREATE_USER": env.bool("OIDC_CREATE_USER", default=False),
        "OIDC_CLAIM_USERNAME": env("OIDC_CLAIM_USERNAME", default="preferred_username"),
        "OIDC_CLAIM_EMAIL": env("OIDC_CLAIM_EMAIL", default="email"),
        "OIDC_CLAIM_EMPLOYEE_NO": env("OIDC_CLAIM_EMPLOYEE_NO", default="employee_number"),
        "OIDC_CLAIM_NAME": env("OIDC_CLAIM_NAME", default="name"),
        "OIDC_PROVIDER_NAME": env("OIDC_PROVIDER_NAME", default=""),
        "OIDC_USE_PKCE": True,
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_TIMEOUT": env.int("OIDC_TIMEOUT", default=10),
        "OIDC_VERIFY_SSL": env.bool("OIDC_VERIFY_SSL", default=True),
        "OIDC_AUTHENTICATION_CALLBACK_URL": "signin:oidc_callback",
        "LOGIN_REDIRECT_URL_FAILURE": "/accounts/login/?sso=failed",
    }


def signin_settings(env) -> dict:
    ldap_conf = ldap_settings(env)
    oidc_conf = oidc_settings(env)
    backends = [
        # axes first: it refuses a locked-out username or address before any backend runs.
        "axes.backends.AxesStandaloneBackend",
        "rules.permissions.ObjectPermissionBackend",
    ]
    if ldap_conf["LDAP_ENABLED"]:
        backends.append("apps.signin.backends.DirectoryBackend")
    if oidc_conf["OIDC_ENABLED"]:
        backends.append("apps.signin.backends.CompanyOIDCBackend")
    backends.append("apps.signin.backends.LocalPasswordBackend")
    return {
        **ldap_conf,
        **oidc_conf,
        "AUTHENTICATION_BACKENDS": backends,
        # "1": accounts not in the directory keep local passwords (admin); "staff": only
        # staff/superusers do (a way in when the directory is down); "0": nobody.
        "LOCAL_PASSWORDS": env("LDAP_ALLOW_LOCAL_PASSWORD", default="1"),
        # Lockout: per username and per address, independently, each with its own limit.
        "AXES_HANDLER": "apps.signin.lockout.SignInLockoutHandler",
        "AXES_FAILURE_LIMIT": env.int("LOGIN_FAILURE_LIMIT", default=5),
        "LOGIN_IP_FAILURE_LIMIT": env.int("LOGIN_IP_FAILURE_LIMIT", default=30),
        "AXES_COOLOFF_TIME": env.float("LOGIN_COOLOFF_MINUTES", default=15) / 60,
        "AXES_LOCKOUT_PARAMETERS": ["username", "ip_address"],
        # A success clears that username's failures only (signals.py): not the address's, or
        # one valid account would launder an address that is guessing other people's passwords.
        "AXES_RESET_ON_SUCCESS": False,
        "AXES_DISABLE_ACCESS_LOG": True,  # our SignInEvent table is the log
        "AXES_LOCKOUT_CALLABLE": "apps.signin.views.locked_out",
        "AXES_USERNAME_FORM_FIELD": "username",
        "AXES_USERNAME_CALLABLE": "apps.signin.events.axes_username",
        "AXES_VERBOSE": False,
        "AXES_CLIENT_IP_CALLABLE": "apps.signin.events.client_ip",
        # Behind N reverse proxies the client's address is N-th from the right in X-Forwarded-For.
        "LOGIN_PROXY_COUNT": env.int("LOGIN_PROXY_COUNT", default=0),
        # Activation and reset links.
        "PASSWORD_RESET_TIMEOUT": env.int("PASSWORD_RESET_HOURS", default=2) * 3600,
        "ACTIVATION_TIMEOUT": env.int("ACTIVATION_DAYS", default=7) * 86400,
        "SIGNIN_MAIL_LIMIT_PER_ADDRESS": env.int("SIGNIN_MAIL_LIMIT_PER_ADDRESS", default=3),
        "SIGNIN_MAIL_LIMIT_PER_IP": env.int("SIGNIN_MAIL_LIMIT_PER_IP", default=20),
        "SIGNIN_MAIL_LIMIT_WINDOW": 3600,
        "SIGNIN_LOG_DAYS": env.int("SIGNIN_LOG_DAYS", default=365),
        # Directory sync job (off unless asked for; it also needs LDAP_URL).
        "DIRECTORY_SYNC_ENABLED": env.bool("DIRECTORY_SYNC", default=False),
    }
