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
    page.fill("#id_q", title[:4])  # the list's own search (the top bar has the portal-wide one)
    page.locator("#id_q").press("Enter")
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


def test_journey_4_a_department_enters_figures_by_form_and_by_file_and_the_overview_shows_them(
    page, portal, sign_in, shot, tmp_path
):
    import csv
    import io

    sign_in(page, "manager")
    page.goto(f"{portal}/kpis/import/")
    template = page.locator("a[href*='/template/'][href$='.csv']").first
    _, code, _, month = template.get_attribute("href").rstrip(".csv").strip("/").split("/")[1:5]

    # by form: type a figure into the department's entry page; it saves on change
    page.goto(f"{portal}/kpis/d/{code}/enter/{month}/")
    shot(page, "entry-form")
    rows = page.locator("tr[id^='kpi-row-']").filter(has=page.locator("input.kpi-input"))
    first = rows.nth(0)
    first_name = first.locator("td a").first.inner_text().strip()
    first.locator("input.kpi-input").fill("87.5")
    first.locator("input.kpi-input").press("Tab")
    saved = page.locator(f"#{first.get_attribute('id')} .kpi-msg")
    expect(saved).not_to_have_text("", timeout=10000)
    if page.locator(f"#{first.get_attribute('id')} button.btn-link").count():  # outside the usual range
        page.locator(f"#{first.get_attribute('id')} button.btn-link").click()
    expect(page.locator(f"#{first.get_attribute('id')} .text-success")).to_have_count(1, timeout=10000)
    shot(page, "entry-saved")

    # by file: the department's template, one actual filled in, uploaded, checked, confirmed
    page.goto(f"{portal}/kpis/import/")
    with page.expect_download() as download:
        page.locator(f"a[href='/kpis/d/{code}/template/{month}.csv']").click()
    table = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))  # noqa: SIM115
    header, body = table[0], table[1:]
    target_row = next(r for r in body if r[1] != first_name)
    target_row[header.index("实际值")] = target_row[header.index("目标值")] or "42"
    file_name = target_row[1]
    out = tmp_path / "figures.csv"
    out.write_text("\ufeff" + "\n".join(",".join(r) for r in [header, target_row]), encoding="utf-8")
    page.set_input_files("input[type=file]", str(out))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    shot(page, "import-preview")
    page.locator("form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    shot(page, "import-done")

    # the overview shows both
    page.goto(f"{portal}/kpis/?department={code}&month={month}")
    shot(page, "overview")
    body_text = page.locator("body").inner_text()
    assert first_name in body_text and file_name in body_text
    page.goto(f"{portal}/kpis/d/{code}/enter/{month}/")
    values = {
        row.locator("td a").first.inner_text().strip(): row.locator("input.kpi-input").input_value()
        for row in page.locator("tr[id^='kpi-row-']").filter(has=page.locator("input.kpi-input")).all()
    }
    assert values[first_name] == "87.5" and values[file_name] not in ("", None)


@pytest.mark.parametrize(("language", "width"), [("zh-hans", 1400), ("en", 390)])
def test_journey_5_a_pdf_with_tables_is_previewed_as_a_tree_with_its_tables_warnings_and_details(
    page, portal, sign_in, shot, language, width
):
    """parser_docs/tables.pdf (a Word file exported by LibreOffice): its two ruled tables show
    in the outline as tables, in the reader's language, before anything is saved."""
    pdf = Path(__file__).resolve().parent.parent / "apps/policies/tests/parser_docs/tables.pdf"
    page.set_viewport_size({"width": width, "height": 1000 if width > 400 else 844})
    sign_in(page, "ops", language)
    page.goto(f"{portal}/policies/new/")
    page.set_input_files("input[type=file][name=upload]", str(pdf))
    page.locator("button[name=preview]").click()
    page.wait_for_load_state()
    shot(page, f"pdf-preview-{language}-{width}")
    outline = page.locator(".o-text", has=page.locator("i.bi-table"))
    expect(outline).to_have_count(2)
    expect(outline.first).to_contain_text("3 行" if language == "zh-hans" else "3 rows")
    assert "差旅管理办法" in page.locator("form").first.inner_text() or "差旅管理办法" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # no sideways scrolling
