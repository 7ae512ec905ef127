"""A small OpenID Connect provider for the tests: discovery, authorize (a login form),
token (authorization code with PKCE), userinfo, JWKS and end-session, over real HTTP on
127.0.0.1. ID tokens are RS256-signed with PyJWT and `cryptography`. The portal's client
(mozilla-django-oidc) talks to it exactly as it would to the company's provider."""

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, make_server

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Provider:
    def __init__(self, port: int, *, client_id: str, client_secret: str, redirect_uri: str):
        self.port = port
        self.issuer = f"http://127.0.0.1:{port}"
        self.client_id, self.client_secret, self.redirect_uri = client_id, client_secret, redirect_uri
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.users: dict[str, dict] = {}  # username -> {"password": ..., "claims": {...}}
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, str] = {}  # access token -> username
        self.ended_sessions: list[dict] = []
        self.audience_override = None  # a test may make the provider mint tokens for another client
        self._server = make_server("127.0.0.1", port, self.app, handler_class=_QuietHandler)

    # --- running -----------------------------------------------------------------------
    def start(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def add_user(self, username: str, password: str, **claims):
        self.users[username] = {"password": password, "claims": {"sub": f"sub-{username}", **claims}}

    # --- WSGI ----------------------------------------------------------------------------
    def app(self, environ, start_response):
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        form = {}
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/authorize": self.authorize,
            "/token": self.token,
            "/userinfo": self.userinfo,
            "/jwks": self.jwks,
            "/end_session": self.end_session,
        }
        handler = routes.get(path)
        if handler is None:
            return self._reply(start_response, "404 Not Found", {"error": "not_found"})
        return handler(environ, start_response, query, form)

    def _reply(self, start_response, status, body, headers=()):
        if isinstance(body, dict):
            data, ctype = json.dumps(body).encode(), "application/json"
        else:
            data, ctype = body.encode(), "text/html; charset=utf-8"
        start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(data))), *headers])
        return [data]

    def _redirect(self, start_response, url):
        start_response("302 Found", [("Location", url), ("Content-Length", "0")])
        return [b""]

    def discovery(self, environ, start_response, query, form):
        return self._reply(
            start_response,
            "200 OK",
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "end_session_endpoint": f"{self.issuer}/end_session",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            },
        )

    def authorize(self, environ, start_response, query, form):
        params = form or query
        if params.get("client_id") != self.client_id or params.get("redirect_uri") != self.redirect_uri:
            return self._reply(start_response, "400 Bad Request", {"error": "invalid_client"})
        if params.get("response_type") != "code" or "openid" not in params.get("scope", "").split():
            return self._reply(start_response, "400 Bad Request", {"error": "invalid_request"})
        error = ""
        if form:
            user = self.users.get(form.get("username", ""))
            if user and secrets.compare_digest(user["password"], form.get("password", "")):
                code = secrets.token_urlsafe(24)
                self.codes[code] = {**params, "username": form["username"], "at": time.time()}
                return self._redirect(
                    start_response, f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params['state']})}"
                )
            error = "<p class=error>wrong username or password</p>"
        hidden = "".join(
            f'<input type=hidden name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
            if k not in ("username", "password")
        )
        page = (
            f"<!doctype html><title>Company sign-in</title><form method=post action=/authorize>{error}{hidden}"
            "<input name=username><input name=password type=password><button>Sign in</button></form>"
        )
        return self._reply(start_response, "200 OK", page)

    def _client_ok(self, environ, form) -> bool:
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if auth.startswith("Basic "):
            client_id, _sep, secret = base64.b64decode(auth[6:]).decode().partition(":")
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        return client_id == self.client_id and secrets.compare_digest(secret, self.client_secret)

    def token(self, environ, start_response, query, form):
        if not self._client_ok(environ, form):
            return self._reply(start_response, "401 Unauthorized", {"error": "invalid_client"})
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or form.get("redirect_uri") != grant["redirect_uri"]
        ):
            return self._reply(start_response, "400 Bad Request", {"error": "invalid_grant"})
        if grant.get("code_challenge"):
            verifier = form.get("code_verifier", "").encode()
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
            if challenge != grant["code_challenge"]:
                return self._reply(start_response, "400 Bad Request", {"error": "invalid_grant", "detail": "pkce"})
        user = self.users[grant["username"]]
        now = int(time.time())
        id_token = jwt.encode(
            {
                "iss": self.issuer,
                "sub": user["claims"]["sub"],
                "aud": self.audience_override or self.client_id,
                "iat": now,
                "exp": now + 300,
                "nonce": grant.get("nonce"),
            },
            self.key,
            algorithm="RS256",
            headers={"kid": self.kid},
        )
        access = secrets.token_urlsafe(24)
        self.tokens[access] = grant["username"]
        return self._reply(
            start_response,
            "200 OK",
            {"access_token": access, "token_type": "Bearer", "expires_in": 300, "id_token": id_token},
        )

    def userinfo(self, environ, start_response, query, form):
        auth = environ.get("HTTP_AUTHORIZATION", "")
        username = self.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if username is None:
            return self._reply(start_response, "401 Unauthorized", {"error": "invalid_token"})
        return self._reply(start_response, "200 OK", self.users[username]["claims"])

    def jwks(self, environ, start_response, query, form):
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return self._reply(start_response, "200 OK", {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]})

    def end_session(self, environ, start_response, query, form):
        self.ended_sessions.append(query)
        return self._redirect(start_response, query.get("post_logout_redirect_uri", "/"))
