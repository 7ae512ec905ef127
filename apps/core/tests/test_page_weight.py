"""What every page costs the browser: the icon subset, deferred scripts, compressed HTML."""

import gzip
import importlib.util
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory

BASE_DIR = Path(settings.BASE_DIR)


def _subset_script():
    spec = importlib.util.spec_from_file_location("subset_icons", BASE_DIR / "scripts" / "subset_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_icon_in_use_is_in_the_subset_font():
    """A page naming an icon the subset lacks would show an empty box: rerun the script."""
    from fontTools.ttLib import TTFont

    script = _subset_script()
    wanted = script.wanted()
    assert len(wanted) > 80  # the scan finds the portal's icons (templates, nav.py, home.py…)
    assert "bi-bell" in wanted and "bi-grid-3x3-gap-fill" in wanted
    assert script.missing() == [], "run .venv/bin/python scripts/subset_icons.py"
    cmap = TTFont(str(script.SUBSET_FONT)).getBestCmap()
    assert set(wanted.values()) <= set(cmap)
    # and it is a subset: a fraction of the full font
    assert script.SUBSET_FONT.stat().st_size * 5 < script.FULL_FONT.stat().st_size


def test_the_icon_scan_catches_a_new_icon(tmp_path, monkeypatch):
    script = _subset_script()
    new = "bi-" + "rocket-takeoff"  # (spelt apart: this file is scanned too)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.html").write_text(f'<i class="bi {new}"></i> abi-x')
    monkeypatch.setattr(script, "BASE_DIR", tmp_path)
    assert script.used_names() == {new}
    monkeypatch.setattr(script, "BASE_DIR", BASE_DIR)
    monkeypatch.setattr(script, "used_names", lambda: {new, "bi-bell"})
    assert script.missing() == [new]


@pytest.mark.django_db
def test_layout_loads_the_subset_and_defers_every_script(client):
    client.force_login(UserFactory())
    html = client.get(reverse("core:floor")).content.decode()
    assert "portal-icons.css" in html and "bootstrap-icons.min.css" not in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) >= 3
    assert all(" defer" in tag for tag in scripts), scripts


def test_no_template_has_a_blocking_script():
    blocking = []
    for path in [*BASE_DIR.glob("templates/**/*.html"), *BASE_DIR.glob("apps/*/templates/**/*.html")]:
        for tag in re.findall(r"<script\b[^>]*>", path.read_text()):
            if "src=" in tag and " defer" not in tag and " async" not in tag:
                blocking.append(f"{path.relative_to(BASE_DIR)}: {tag}")
    assert blocking == []


@pytest.mark.django_db
def test_pages_are_compressed_and_padded_against_breach(client):
    client.force_login(UserFactory())
    first = client.get(reverse("core:floor"), HTTP_ACCEPT_ENCODING="gzip")
    second = client.get(reverse("core:floor"), HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    body = gzip.decompress(first.content)
    assert b"<html" in body and len(first.content) * 2 < len(body)
    # Django pads each compressed body with random bytes and masks the CSRF token afresh
    assert first.content != second.content
    plain = client.get(reverse("core:floor"))
    assert not plain.has_header("Content-Encoding")
