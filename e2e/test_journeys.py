"""The main journeys, clicked through in chromium against the live portal."""

import io
import re
import uuid
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


PROCESS = "MKT-CH-01"  # a marketing process: the marketing head (manager) is its first approver


def confirm(page, dialog: str) -> None:
    """Open a step's confirm dialog and take the step (its main button, not "remind first")."""
    page.locator(f"button[data-bs-target='#{dialog}']").first.click()
    page.locator(f"#{dialog} .modal-footer button[type=submit]:not([formaction])").click()


def _version(page) -> int:
    """The current version number from a process page's subtitle ("version 3" / "第 3 版")."""
    text = page.locator(".page-subtitle").first.inner_text()
    return int(re.search(r"(\d+)", text.split("·")[-1]).group(1))


def test_journey_2_a_process_change_is_proposed_returned_resubmitted_and_approved_along_the_chain(
    page, portal, sign_in, shot
):
    tag = uuid.uuid4().hex[:6]
    title, new_name = f"渠道评估改为双周 {tag}", f"渠道双周评估 {tag}"

    # staff proposes: a major change (so the general manager decides last), one step renamed
    sign_in(page, "staff")
    page.goto(f"{portal}/processes/p/{PROCESS}/")
    before = _version(page)
    page.goto(f"{portal}/processes/p/{PROCESS}/propose/")
    page.fill("#id_cr-title", title)
    page.fill("#id_cr-reason", "渠道问题发现太晚。")
    page.fill("#id_cr-expected_effect", "问题提前发现。")
    page.check("#id_cr-marked_major")
    page.fill("input[name='steps-0-name']", new_name)
    shot(page, "proposal")
    page.locator("button[name=submit]").click()
    expect(page).to_have_url(re.compile(r"/approvals/r/\d+/$"))
    approval = page.url
    expect(page.locator("h1")).to_contain_text(title)
    shot(page, "submitted")

    # the department head returns it with a comment
    sign_in(page, "manager")
    page.goto(f"{portal}/approvals/")
    expect(page.locator("body")).to_contain_text(title)
    page.goto(approval)
    page.fill("#opinion", f"请补充评估频率的依据 {tag}")
    confirm(page, "confirm-return")
    expect(page.locator(".approvals-timeline")).to_contain_text(f"请补充评估频率的依据 {tag}")
    expect(page.locator("button[name=operation][value=approve]")).to_have_count(0)
    shot(page, "returned")

    # the proposer is told, edits the proposal and submits it again
    sign_in(page, "staff")
    page.goto(f"{portal}/notifications/")
    expect(page.locator("body")).to_contain_text(title)
    shot(page, "staff-notified-of-return")
    page.goto(approval)
    expect(page.locator(".approvals-timeline")).to_contain_text(f"请补充评估频率的依据 {tag}")
    page.locator("a[href$='/edit/'].btn-primary").click()
    page.fill("#id_cr-reason", "渠道问题发现太晚：上季度三家渠道流失后才察觉。")
    page.locator("button[name=submit]").click()
    expect(page).to_have_url(approval)
    shot(page, "resubmitted")

    # the whole chain approves: department head, operations management, general manager
    for approver in ("manager", "ops", "gm"):
        sign_in(page, approver)
        page.goto(f"{portal}/notifications/")
        expect(page.locator("body")).to_contain_text(title)  # each is told it waits for them
        page.goto(approval)
        page.fill("#opinion", f"同意（{approver}）")
        confirm(page, "confirm-approve")
        expect(page.locator(".approvals-timeline")).to_contain_text(f"同意（{approver}）")
        shot(page, f"approved-by-{approver}")
    expect(page.locator("#actions button[value=approve]")).to_have_count(0)

    # the new version and its diagram are live, and the proposer is told
    sign_in(page, "staff")
    page.goto(f"{portal}/processes/p/{PROCESS}/")
    assert _version(page) == before + 1
    expect(page.locator(".process-diagram-wrap svg").first).to_contain_text(new_name)
    shot(page, "new-version")
    page.goto(f"{portal}/notifications/")
    expect(page.locator("body")).to_contain_text(f"{title}")
    expect(page.locator("body")).to_contain_text("已批准并发布")
    shot(page, "staff-notified-of-approval")


def _next_quarter(codes: list[str]) -> str:
    year, quarter = max((int(c[:4]), int(c[5])) for c in codes if re.fullmatch(r"\d{4}Q[1-4]", c))
    return f"{year + 1}Q1" if quarter == 4 else f"{year}Q{quarter + 1}"


def test_journey_3_hr_runs_a_quarter_from_opening_to_the_published_export(page, portal, sign_in, shot, background):
    from openpyxl import load_workbook

    # the demo's running cycles are closed first: a quarter opens only when the last has closed
    background(
        "from apps.appraisals.models import Cycle, Stage;"
        "Cycle.objects.exclude(stage=Stage.CLOSED).update(stage=Stage.CLOSED)"
    )

    # HR opens the next quarter; everybody is told
    sign_in(page, "hr")
    page.goto(f"{portal}/appraisals/cycles/")
    codes = [c.strip() for c in page.locator("table tbody tr td:first-child").all_inner_texts()]
    code = _next_quarter([c.split()[0] for c in codes if c])
    page.fill("#id_code", code)
    page.locator("form[method=post] button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(rf"/appraisals/cycles/{code}/$"))
    shot(page, "opened")
    cycle_url = page.url

    # the rest of the company is taken out of this quarter, so the journey is one person's path
    background(
        "from apps.appraisals.models import Appraisal;"
        f"Appraisal.objects.filter(cycle__code='{code}').exclude(employee__username='staff')"
        ".update(is_excluded=True, excluded_reason='e2e')"
    )

    # staff is told, opens the appraisal from the notification and assesses themself
    sign_in(page, "staff")
    page.goto(f"{portal}/notifications/")
    page.locator("a", has_text=code).first.click()  # leads to "my appraisals"
    expect(page.locator("main")).to_contain_text(code)
    shot(page, "staff-appraisals")
    page.locator("main a[href*='/appraisals/a/']", has_text="自评").first.click()
    expect(page.locator("h1")).to_contain_text(code)
    expect(page.locator("#score-form")).to_be_visible()
    appraisal = page.url.split("?")[0].split("#")[0]
    scores = page.locator("#score-form input[name^=score-]")
    for i in range(scores.count()):
        scores.nth(i).fill("88")
    for box in page.locator("#score-form textarea[name^=comment-]").all():
        box.fill("按计划完成。")
    page.fill("#summary", "本季度完成品牌推广计划。")
    shot(page, "self-assessment")
    page.locator("#score-form button[name=submit]").click()
    expect(page.locator("#score-form button[name=submit]")).to_have_count(0)
    shot(page, "self-submitted")

    # HR moves the cycle to the manager review; the manager reviews (scores that make 优秀)
    sign_in(page, "hr")
    page.goto(cycle_url)
    confirm(page, "stage-advance")
    expect(page.locator("button[data-bs-target='#stage-advance']")).to_contain_text("进入校准")
    sign_in(page, "manager")
    page.goto(f"{portal}/appraisals/cycles/{code}/team/")
    shot(page, "manager-team")
    page.locator("table a.btn-primary").first.click()
    expect(page.locator("#score-form")).to_be_visible()
    scores = page.locator("#score-form input[name^=score-]")
    for i in range(scores.count()):
        scores.nth(i).fill("95")
    for box in page.locator("#score-form textarea[name^=comment-], #score-form input[name^=reason-]").all():
        box.fill("表现突出。")
    page.fill("#summary", "品牌活动组织出色。")
    page.locator("#score-form button[name=submit]").click()
    expect(page.locator("#score-form button[name=submit]")).to_contain_text("提交修改")  # reviewed
    shot(page, "manager-reviewed")

    # HR starts calibration; publishing is refused (100 % 优秀 > 20 %); HR calibrates, publishes
    sign_in(page, "hr")
    page.goto(cycle_url)
    confirm(page, "stage-advance")
    expect(page.locator("button[data-bs-target='#stage-publish']").first).to_be_visible()
    page.goto(f"{portal}/appraisals/cycles/{code}/calibration/")
    confirm(page, "stage-publish")
    expect(page.locator(".alert", has_text="20").first).to_be_visible()
    shot(page, "publish-refused")
    page.goto(appraisal)
    page.select_option("#id_final_grade", "good")
    page.fill("#id_reason", "与同级横向比较后调整为良好")
    page.locator("form[action$='/calibrate/'] button").click()
    expect(page.locator("body")).to_contain_text("与同级横向比较后调整为良好")
    shot(page, "calibrated")
    page.goto(f"{portal}/appraisals/cycles/{code}/calibration/")
    confirm(page, "stage-publish")
    expect(page.locator("button[data-bs-target='#stage-publish']")).to_have_count(0)
    shot(page, "published")

    # the export opens and holds the published result
    page.goto(cycle_url)
    with page.expect_download() as download:
        page.locator(f"a[href$='/cycles/{code}/export.xlsx']").first.click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True).active
    rows = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    assert [r[header.index("姓名")] for r in body] == ["刘洋"]  # the excluded are not exported
    mine = body[0]
    assert mine[header.index("等级")] == "优秀" and mine[header.index("最终等级")] == "良好"
    assert mine[header.index("校准原因")] == "与同级横向比较后调整为良好"

    # staff sees the result and acknowledges it
    sign_in(page, "staff")
    page.goto(f"{portal}/notifications/")
    expect(page.locator("body")).to_contain_text(code)
    page.goto(appraisal)
    expect(page.locator("body")).to_contain_text("良好")
    confirm(page, "ack-result")
    expect(page.locator("form[action$='/acknowledge/']")).to_have_count(0)
    shot(page, "staff-result")


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
