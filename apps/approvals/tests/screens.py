"""Screenshots of the approvals pages as the demo users, in both languages, at desktop and
phone width (not a test; run by hand against a dev server with the demo):
    .venv/bin/python apps/approvals/tests/screens.py [base_url] [out_dir] [name ...]"""

import sys

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8130"
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/approvals"
ONLY = set(sys.argv[3:])
PAGES = [
    ("manager", "inbox", "/approvals/"),
    ("manager", "done", "/approvals/?tab=done"),
    ("hr", "cc", "/approvals/?tab=cc"),
    ("manager", "request", "/approvals/r/1/"),
    ("ops", "request_ops", "/approvals/r/2/"),
    ("staff", "request_mine", "/approvals/r/2/"),
    ("admin", "flows", "/approvals/flows/"),
    ("admin", "flow_edit", "/approvals/flows/processes.change/?department=5&person=staff&major=on#preview"),
    ("admin", "report", "/approvals/report/"),
    ("manager", "delegations", "/approvals/delegations/"),
    ("finance-head", "countersign", "/approvals/r/9/"),
]


def login(page, username):
    page.goto(f"{BASE}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "opsportal-demo")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def main():
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for lang in ("zh-hans", "en"):
            for width, height, tag in ((1400, 900, "desk"), (390, 844, "phone")):
                for user, name, path in PAGES:
                    if ONLY and name not in ONLY:
                        continue
                    ctx = browser.new_context(viewport={"width": width, "height": height})
                    ctx.add_cookies([{"name": "django_language", "value": lang, "url": BASE}])
                    page = ctx.new_page()
                    login(page, user)
                    page.goto(BASE + path)
                    page.screenshot(path=f"{OUT}/{name}-{lang}-{tag}.png", full_page=True)
                    ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
