"""Screenshots of the regulations pages as different demo users (not a test).

.venv/bin/python apps/policies/tests/screens.py [base_url] [out_dir]
"""

import sys

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8101"
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/shots"
PAGES = {
    "staff": [
        "/",
        "/policies/",
        "/policies/?q=报销",
        "/policies/HR-ZD-001/",
        "/policies/OPS-ZD-001/compare/",
        "/policies/OPS-ZD-001/history/",
    ],
    "manager": ["/", "/policies/MKT-ZD-001/", "/policies/MKT-ZD-001/v/V2/edit/", "/policies/acknowledgements/"],
    "ops": [
        "/",
        "/policies/GMO-GD-002/",
        "/policies/new/",
        "/policies/OPS-ZD-001/v/V1/acks/",
        "/policies/review/",
        "/policies/HR-ZD-001/v/V2/acks/",
    ],
}


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for user, paths in PAGES.items():
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"{BASE}/accounts/login/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", "opsportal-demo")
            page.click("button[type=submit]")
            page.wait_for_load_state()
            for n, path in enumerate(paths):
                page.goto(BASE + path)
                name = f"{OUT}/{user}-{n}.png"
                page.screenshot(path=name, full_page=True)
                print(name, page.title())
            if user == "staff":
                page.goto(BASE + "/policies/HR-ZD-001/")
                page.emulate_media(media="print")
                page.screenshot(path=f"{OUT}/staff-print.png", full_page=True)
                page.emulate_media(media="screen")
        browser.close()


if __name__ == "__main__":
    main()
