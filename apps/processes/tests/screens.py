"""Screenshots of the process pages as the demo users (not a test; run by hand):
    .venv/bin/python apps/processes/tests/screens.py [base_url] [out_dir] [page ...]
Pages: list, detail, detail_big, request, inbox_*, dept, report, form, home_*."""

import sys

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8102"
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/processes-eng"
ONLY = set(sys.argv[3:])
PAGES = [
    ("staff", "list", "/processes/"),
    ("staff", "detail", "/processes/p/PUR-01/"),
    ("staff", "detail_sales", "/processes/p/SAL-CT-01/"),
    ("staff", "detail_launch", "/processes/p/OPS-PL-01/"),
    ("staff", "detail_qa", "/processes/p/QA-IN-01/"),
    ("manager", "inbox_manager", "/processes/inbox/"),
    ("gm", "inbox_gm", "/processes/inbox/"),
    ("ops", "requests", "/processes/requests/"),
    ("staff", "dept", "/processes/department/marketing/"),
    ("ops", "report", "/processes/report/"),
    ("staff", "form", "/processes/p/MKT-RS-01/propose/"),
    ("manager", "home_manager", "/"),
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
        for user, name, path in PAGES:
            if ONLY and name not in ONLY:
                continue
            ctx = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
            page = ctx.new_page()
            login(page, user)
            page.goto(BASE + path)
            page.screenshot(path=f"{OUT}/{name}.png", full_page=True)
            diagram = page.locator(".process-diagram-wrap")
            if diagram.count() and diagram.first.is_visible():
                diagram.first.screenshot(path=f"{OUT}/{name}-diagram.png")
            print(name, page.url)
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
