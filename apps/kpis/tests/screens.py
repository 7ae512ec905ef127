"""Screenshots of the indicator pages (not a test): .venv/bin/python apps/kpis/tests/screens.py [base url]"""

import sys

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8103"
PAGES = [
    ("ops", "/kpis/", "overview"),
    ("manager", "/kpis/d/marketing/", "department"),
    ("ops", "/kpis/d/sales/", "department-sales"),
    ("gm", "/kpis/i/{C-SAL}/", "indicator"),
    ("ops", "/kpis/i/{C-QUAL}/", "indicator-qual"),
    ("ops", "/kpis/i/{P-CAPA}/", "indicator-range"),
    ("manager", "/kpis/d/marketing/enter/{month}/", "enter"),
    ("ops", "/kpis/i/{SV-COMPLAINT}/{month}/", "measurement"),
    ("ops", "/kpis/locks/", "locks"),
    ("ops", "/kpis/i/{C-SAL}/targets/2026/", "targets"),
    ("staff", "/kpis/i/{P-STAFF-CONTENT}/", "indicator-personal"),
    ("ops", "/kpis/i/{C-CSAT}/", "indicator-quarterly"),
]


def main():
    import os

    import django

    sys.path.insert(0, ".")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsportal.settings")
    django.setup()
    from django.utils import timezone

    from apps.kpis.models import Indicator
    from apps.kpis.periods import reporting_month

    ids = dict(Indicator.objects.values_list("code", "pk"))
    month = reporting_month(timezone.localdate()).key
    only = set(sys.argv[2:])
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for user, path, name in PAGES:
            if only and name not in only:
                continue
            ctx = browser.new_context(viewport={"width": 1400, "height": 900})
            page = ctx.new_page()
            page.goto(BASE + "/accounts/login/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", "opsportal-demo")
            page.click("main button[type=submit]")
            page.wait_for_load_state("networkidle")
            url = path.replace("{month}", month)
            for code, pk in ids.items():
                url = url.replace("{" + code + "}", str(pk))
            page.goto(BASE + url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=f"/tmp/kpis-{name}.png", full_page=True)
            print(name, page.url)
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
