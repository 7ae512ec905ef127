"""Screenshots of the top-bar suggestions and the results page (not a test).

.venv/bin/python apps/search/tests/screens.py [base_url] [out_dir]
"""

import sys

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8160"
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/search-shots"
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def main() -> None:
    import os

    os.makedirs(OUT, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for lang in ("zh-hans", "en"):
            for size, (w, h) in SIZES.items():
                page = browser.new_page(viewport={"width": w, "height": h})
                page.goto(f"{BASE}/accounts/login/")
                page.fill("input[name=username]", "staff")
                page.fill("input[name=password]", "opsportal-demo")
                page.click("button[type=submit]")
                page.wait_for_load_state()
                page.evaluate("lang => document.querySelector(`.portal-lang button[value='${lang}']`).click()", lang)
                page.wait_for_load_state()
                page.fill("#portal-search-q", "报销")
                page.wait_for_selector("#portal-search-suggest.show", timeout=5000)
                page.screenshot(path=f"{OUT}/{lang}-{size}-suggest.png")
                page.goto(f"{BASE}/search/?q=報銷+发票")
                page.wait_for_load_state()
                page.screenshot(path=f"{OUT}/{lang}-{size}-results.png", full_page=True)
                page.goto(f"{BASE}/search/?q=第十条&kind=article&old=1")
                page.screenshot(path=f"{OUT}/{lang}-{size}-articles.png", full_page=True)
                print(lang, size, page.title())
                page.close()
        browser.close()


if __name__ == "__main__":
    main()
