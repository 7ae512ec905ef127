"""Walk one change request from proposal to publication in headless Chromium, as staff,
the department head (manager), operations (ops) and the general manager (gm), with a
screenshot at each stage (not a test; run by hand against a seeded dev server):
    .venv/bin/python apps/processes/tests/walk.py [base_url] [out_dir]"""

import sys
import time

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8102"
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/processes-eng"
CODE = "MKT-RS-01"


def login(browser, username):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = ctx.new_page()
    page.goto(f"{BASE}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "opsportal-demo")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return ctx, page


def shot(page, name):
    page.screenshot(path=f"{OUT}/walk-{name}.png", full_page=True)
    print(name, page.url)


def decide(browser, username, url, action, name):
    ctx, page = login(browser, username)
    page.goto(f"{BASE}/processes/inbox/")
    shot(page, f"{name}-inbox")
    page.goto(url)
    page.fill("#decision-comment", f"{username} 同意。")
    page.click(f"button[name=action][value={action}]")
    page.wait_for_load_state("networkidle")
    shot(page, name)
    ctx.close()


def main():
    title = f"调研流程增加数据质量复核 {time.strftime('%H%M%S')}"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        ctx, page = login(browser, "staff")
        page.goto(f"{BASE}/processes/p/{CODE}/")
        page.click("text=提出变更")
        page.fill("#id_cr-title", title)
        page.fill("#id_cr-reason", "调研数据错误多次导致报告返工，需要在分析前增加数据质量复核。")
        page.fill("#id_cr-expected_effect", "报告返工率下降一半。")
        # edit step 4 and add a new step S8 (another department: a major change) after it
        page.fill("#id_steps-3-name", "调研执行（含过程抽检）")
        page.click("#add-step")
        new = int(page.input_value("#id_steps-TOTAL_FORMS")) - 1
        page.fill(f"#id_steps-{new}-name", "数据质量复核")
        page.select_option(f"#id_steps-{new}-department", label="数据分析组")
        page.fill(f"#id_steps-{new}-ORDER", "4")  # ties keep list order: right after step 4
        page.fill(f"#id_steps-{new}-time_limit_hours", "8")
        page.fill(f"#id_steps-{new}-inputs", "原始调研数据")
        page.fill(f"#id_steps-{new}-outputs", "数据质量复核记录")
        shot(page, "1-staff-form")
        page.click("button[name=submit]")
        page.wait_for_load_state("networkidle")
        shot(page, "2-staff-submitted")
        url = page.url
        ctx.close()
        decide(browser, "manager", url, "approve", "3-manager")
        decide(browser, "ops", url, "approve", "4-ops")
        decide(browser, "gm", url, "approve", "5-gm")
        ctx, page = login(browser, "staff")
        page.goto(f"{BASE}/processes/p/{CODE}/")
        shot(page, "6-published")
        page.goto(url)
        shot(page, "7-request-closed")
        ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
