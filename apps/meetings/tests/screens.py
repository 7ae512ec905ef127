"""Screenshots of the meeting pages (not a test):
.venv/bin/python apps/meetings/tests/screens.py [base url] [width] [lang] [names...]"""

import sys

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8180"
WIDTH = int(sys.argv[2]) if len(sys.argv) > 2 else 1400
LANG = sys.argv[3] if len(sys.argv) > 3 else "zh-hans"


def main():
    import os

    import django

    sys.path.insert(0, ".")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsportal.settings")
    django.setup()
    from django.contrib.auth import get_user_model

    from apps.meetings.models import ActionItem, Meeting

    get_user_model().objects.filter(username__in=["ops-head", "ops", "manager"]).update(preferred_language=LANG)
    held = Meeting.objects.filter(minutes_versions__isnull=False).order_by("-date").first()
    upcoming = Meeting.objects.filter(minutes_versions__isnull=True, series__isnull=False).order_by("date").first()
    big = Meeting.objects.filter(title__startswith="规模测试").first()
    action = ActionItem.objects.filter(meeting=held).order_by("pk").first()
    pages = [
        ("ops-head", f"/meetings/m/{held.pk}/", "meeting"),
        ("ops-head", f"/meetings/m/{held.pk}/minutes/", "minutes"),
        ("ops-head", f"/meetings/m/{upcoming.pk}/minutes/", "minutes-draft"),
        ("ops-head", "/meetings/actions/?scope=all", "actions"),
        ("ops-head", f"/meetings/actions/{action.pk}/", "action"),
        ("ops-head", "/meetings/reports/", "reports"),
        ("ops-head", "/meetings/", "index"),
        ("ops-head", f"/meetings/m/{upcoming.pk}/edit/", "edit"),
    ]
    if big:
        pages.append(("admin", f"/meetings/m/{big.pk}/", "big"))
    only = set(sys.argv[4:])
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for user, path, name in pages:
            if only and name not in only:
                continue
            ctx = browser.new_context(viewport={"width": WIDTH, "height": 900})
            page = ctx.new_page()
            page.goto(BASE + "/accounts/login/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", "opsportal-demo")
            page.click("main button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(BASE + path)
            page.wait_for_load_state("networkidle")
            out = f"/tmp/meetings-{name}-{WIDTH}-{LANG}.png"
            page.screenshot(path=out, full_page=True)
            print(out, page.url, page.evaluate("document.documentElement.scrollWidth"))
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
