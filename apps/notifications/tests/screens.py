"""Screenshots of the bell, its menu, the notifications page, the settings and a rendered mail.

DEBUG=1 .venv/bin/python apps/notifications/tests/screens.py [base_url]   (a server with seed_demo data)
"""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsportal.settings")
django.setup()

from playwright.sync_api import sync_playwright  # noqa: E402

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8105"
OUT = Path("/tmp")


def render_mails() -> list[Path]:
    from django.contrib.auth import get_user_model

    from apps.notifications.delivery import render_digest, render_notification
    from apps.notifications.models import Notification

    paths = []
    for username in ("staff", "manager"):
        user = get_user_model().objects.get(username=username)
        notes = list(Notification.objects.filter(recipient=user)[:5])
        if username == "manager":
            user.preferred_language = "en"
        if notes:
            _s, _t, html = render_notification(user, notes[0])
            paths.append(OUT / f"notifications-mail-{username}.html")
            paths[-1].write_text(html)
            _s, text, html = render_digest(user, notes * 3)
            paths.append(OUT / f"notifications-digest-{username}.html")
            paths[-1].write_text(html)
            (OUT / f"notifications-mail-{username}.txt").write_text(text)
    return paths


def main() -> None:
    mails = render_mails()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        page.goto(f"{BASE}/accounts/login/")
        page.fill("input[name=username]", "staff")
        page.fill("input[name=password]", "opsportal-demo")
        page.click("button[type=submit]")
        page.goto(f"{BASE}/")
        page.screenshot(path=str(OUT / "notifications-home.png"), full_page=True)
        page.click("#bell")
        page.wait_for_selector(".notif-menu-item, .portal-bell-menu .dropdown-item-text", timeout=5000)
        page.screenshot(path=str(OUT / "notifications-bell.png"))
        page.goto(f"{BASE}/notifications/")
        page.screenshot(path=str(OUT / "notifications-list.png"), full_page=True)
        page.goto(f"{BASE}/notifications/settings/")
        page.screenshot(path=str(OUT / "notifications-settings.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 800})
        page.goto(f"{BASE}/notifications/")
        page.screenshot(path=str(OUT / "notifications-list-mobile.png"), full_page=True)
        page.set_viewport_size({"width": 900, "height": 800})
        for path in mails:
            page.goto(f"file://{path}")
            page.screenshot(path=str(path.with_suffix(".png")), full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
