"""Response headers every page carries, no inline script anywhere, NUL bytes refused at the
door, and no production server with the development SECRET_KEY."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


def test_a_page_has_csp_permissions_policy_and_is_never_cached(org, client_for):
    response = client_for(org["staff"]).get(reverse("core:home"))
    assert response.status_code == 200
    csp = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    assert csp["script-src"] == "'self'" and csp["default-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    login = client_for(None).get(reverse("accounts:login"))
    assert "no-store" in login["Cache-Control"] and "Content-Security-Policy" in login


def _template_files():
    for base in [ROOT / "templates", *sorted((ROOT / "apps").glob("*/templates"))]:
        yield from base.rglob("*.html")


def test_no_template_has_inline_script_or_event_handler_attributes():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
    offenders = []
    for path in _template_files():
        text = path.read_text(encoding="utf-8")
        for pattern in (inline_script, handler):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_nul_byte_gets_a_clear_400_in_the_users_language(org, client_for, method):
    c = client_for(org["staff"])
    response = getattr(c, method)(reverse("core:home"), {"q": "abc\x00def"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert "无法读取" in response.content.decode()  # Chinese first


def _start_wsgi(env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import opsportal.wsgi"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_production_server_refuses_to_start_without_its_own_secret_key():
    refused = _start_wsgi({"DEBUG": "0"})
    assert refused.returncode != 0 and "SECRET_KEY is not set" in refused.stderr
    assert _start_wsgi({"DEBUG": "0", "SECRET_KEY": "short"}).returncode != 0
    assert _start_wsgi({"DEBUG": "0", "SECRET_KEY": "k3Jx9-" * 10}).returncode == 0
    assert _start_wsgi({"DEBUG": "1"}).returncode == 0  # development keeps its key
