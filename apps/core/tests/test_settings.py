"""Settings come from the environment; production values pass Django's deploy check."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def settings_with(env: dict) -> dict:
    code = (
        "import json, django; from django.conf import settings as s; "
        "print(json.dumps({'DEBUG': s.DEBUG, 'TIME_ZONE': s.TIME_ZONE, 'LANGUAGE_CODE': s.LANGUAGE_CODE, "
        "'ALLOWED_HOSTS': s.ALLOWED_HOSTS, 'DB': s.DATABASES['default'], 'REDIS_URL': s.REDIS_URL, "
        "'BROKER': s.CELERY_BROKER_URL, 'EMAIL_BACKEND': s.EMAIL_BACKEND, 'EMAIL_HOST': s.EMAIL_HOST, "
        "'SECRET_KEY': s.SECRET_KEY, 'SESSION_COOKIE_SECURE': s.SESSION_COOKIE_SECURE, "
        "'PORTAL_BASE_URL': s.PORTAL_BASE_URL}, default=str))"
    )
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "TIME_ZONE",
            "LANGUAGE_CODE",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "EMAIL_URL",
            "SECRET_KEY",
            "PORT",
            "OPSPORTAL_PORT",
            "PORTAL_BASE_URL",
        }
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**base, "DJANGO_SETTINGS_MODULE": "opsportal.settings", **env},
    )
    return json.loads(out.stdout)


def test_settings_are_read_from_the_environment():
    s = settings_with(
        {
            "DEBUG": "1",
            "TIME_ZONE": "Europe/Berlin",
            "LANGUAGE_CODE": "en",
            "ALLOWED_HOSTS": "a.example,b.example",
            "DATABASE_URL": "postgres://u:p@db.internal:6543/portal",
            "REDIS_URL": "redis://cache.internal:6380/2",
            "EMAIL_URL": "smtp://mailer:pw@smtp.internal:2525",
            "SECRET_KEY": "s" * 50,
        }
    )
    assert s["DEBUG"] is True
    assert (s["TIME_ZONE"], s["LANGUAGE_CODE"]) == ("Europe/Berlin", "en")
    assert s["ALLOWED_HOSTS"] == ["a.example", "b.example"]
    assert (s["DB"]["HOST"], s["DB"]["PORT"], s["DB"]["NAME"], s["DB"]["USER"]) == ("db.internal", 6543, "portal", "u")
    assert s["DB"]["ENGINE"] == "django.db.backends.postgresql"
    assert s["REDIS_URL"] == s["BROKER"] == "redis://cache.internal:6380/2"
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend" and s["EMAIL_HOST"] == "smtp.internal"
    assert s["SECRET_KEY"] == "s" * 50


def test_defaults_are_chinese_shanghai_debug_off_and_the_embedded_servers():
    s = settings_with({})
    assert s["DEBUG"] is False and s["SESSION_COOKIE_SECURE"] is True
    assert (s["TIME_ZONE"], s["LANGUAGE_CODE"]) == ("Asia/Shanghai", "zh-hans")
    # Unset URLs point at the embedded servers' unix sockets under var/.
    assert s["DB"]["HOST"].endswith("/var/pg") and s["DB"]["NAME"] == "opsportal"
    assert s["REDIS_URL"].startswith("unix://") and s["BROKER"].startswith("redis+socket://")
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_production_values_pass_the_deploy_check():
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "x7!" + "k2#Lp9@qZ" * 6,
            "ALLOWED_HOSTS": "portal.example.com",
            "SECURE_SSL_REDIRECT": "1",
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
            "SECURE_HSTS_PRELOAD": "1",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_default_secret_key_fails_the_deploy_check():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(
        {
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "1",
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
            "SECURE_HSTS_PRELOAD": "1",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode != 0


def test_mail_links_use_the_web_port_not_the_per_process_port_honcho_sets():
    assert settings_with({"OPSPORTAL_PORT": "8300", "PORT": "8400"})["PORTAL_BASE_URL"] == "http://127.0.0.1:8300"
    assert (
        settings_with({"PORTAL_BASE_URL": "https://portal.example.com/"})["PORTAL_BASE_URL"]
        == "https://portal.example.com"
    )
