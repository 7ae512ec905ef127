"""The main journeys, clicked through in chromium against the live portal."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
POLICY_ORDER = {"zh-hans": 0, "en": 1}  # each language acknowledges its own regulation


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_journey_1_staff_finds_reads_and_acknowledges_a_regulation_and_the_manager_sees_it(
    page, portal, sign_in, shot, language
):
    sign_in(page, "staff", language)
    page.goto(f"{portal}/policies/?needs_ack=on")
    shot(page, "to-acknowledge")
    rows = page.locator("table a[href^='/policies/']")
    target = rows.nth(POLICY_ORDER[language])
    title, href = target.inner_text().strip(), target.get_attribute("href")
    code = href.strip("/").split("/")[1]

    # find it by searching for words of its title
    page.goto(f"{portal}/policies/")
    page.fill("input[name=q]", title[:4])
    page.locator("input[name=q]").press("Enter")
    page.wait_for_load_state()
    shot(page, "search")
    page.locator(f"table a[href='{href}']").first.click()
    page.wait_for_load_state()

    # open it at an article
    article = page.locator(".toc-article a, [class*='toc-'] a[href^='#']").nth(1)
    anchor = article.get_attribute("href")
    article.click()
    expect(page).to_have_url(re.compile(re.escape(anchor) + "$"))
    shot(page, "at-article")

    # acknowledge
    ack = page.locator("form[action$='/ack/']")
    action = ack.get_attribute("action")
    ack.locator("button").click()
    page.wait_for_load_state()
    expect(page.locator("form[action$='/ack/']")).to_have_count(0)
    shot(page, "acknowledged")

    # the manager sees the completion
    sign_in(page, "manager", language)
    page.goto(portal + action.replace("/ack/", "/acks/"))
    shot(page, "manager-report")
    expect(page.locator("body")).to_contain_text("100%")  # staff was the one missing
    with page.expect_download() as download:
        page.locator("a[href*='format=csv']").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    staff_line = next(line for line in text.splitlines() if "刘洋" in line)
    assert staff_line.split(",")[4] == ("是" if language == "zh-hans" else "Yes")
    assert code in page.url
