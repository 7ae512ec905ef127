"""Accessibility and phone width of the main pages, in chromium against the live portal.

axe-core (e2e/vendor/axe.min.js, MPL-2.0, vendored so that CI needs no network) runs on each
page; no serious or critical violation may be left. At 390 px wide (a phone) no main page may
scroll sideways. Screenshots of every page go to test-output/e2e/<test>/."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = ("serious", "critical")

# name -> the address, or (a list page, a link on it) for a page found by following a link
PAGES = {
    "home": "/",
    "regulations": "/policies/",
    "regulation": ("/policies/", "main table a[href^='/policies/']"),
    "processes": "/processes/",
    "process": ("/processes/", "main a[href^='/processes/p/']"),
    "kpi-overview": "/kpis/",
    "kpi-entry": ("/kpis/import/", "main a[href*='/template/'][href$='.csv']"),
    "appraisals": "/appraisals/",
    "appraisal": ("/appraisals/", "main a[href^='/appraisals/a/']"),
    "approvals": "/approvals/",
    "approval": ("/approvals/", "main a[href^='/approvals/r/']"),
    "notifications": "/notifications/",
    "org-chart": "/org/",
    "search": "/search/?q=%E5%88%B6%E5%BA%A6",  # 制度
    "meetings": "/meetings/",
    "risks": "/risks/",
    "training": "/training/",
}
BOTH_LANGUAGES = ["home", "regulation", "kpi-entry", "appraisal", "approval", "org-chart", "search"]


def _address(page, portal, spec):
    if isinstance(spec, str):
        return spec
    listing, selector = spec
    page.goto(portal + listing)
    links = page.locator(selector)
    if not links.count():
        pytest.fail(f"no link {selector} on {listing}: the demo company changed?")
    href = links.first.get_attribute("href")
    if "/template/" in href:  # the KPI import page links the entry template: /kpis/d/<dept>/template/<month>.csv
        _, code, _, month = href.removesuffix(".csv").strip("/").split("/")[1:5]
        return f"/kpis/d/{code}/enter/{month}/"
    return href


def _violations(page):
    page.add_script_tag(content=AXE)
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(v => ({
             id: v.id, impact: v.impact, help: v.help,
             nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
    )
    return [f"{v['impact']} {v['id']} ({v['help']}): {v['nodes']}" for v in found if v["impact"] in BLOCKING]


@pytest.fixture
def scanning(browser, portal, sign_in):
    """A page whose context lets the test inject axe (the portal's CSP allows no inline script)."""
    contexts = []

    def open_page(width=1400, height=1000):
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_main_pages_have_no_serious_accessibility_violations(scanning, portal, sign_in, shot, language):
    page = scanning()
    names = list(PAGES) if language == "zh-hans" else BOTH_LANGUAGES
    problems = {}

    # the sign-in page, before signing in
    page.context.add_cookies([{"name": "django_language", "value": language, "url": portal}])
    page.goto(f"{portal}/accounts/login/")
    if found := _violations(page):
        problems["login"] = found
    shot(page, "login")

    sign_in(page, "manager", language)
    for name in names:
        page.goto(portal + _address(page, portal, PAGES[name]))
        assert page.locator("main").count() == 1, f"{name} did not render the portal's layout"
        if found := _violations(page):
            problems[name] = found
        shot(page, name)
    assert problems == {}, "\n".join(f"{name}: {line}" for name, lines in problems.items() for line in lines)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_main_page_scrolls_sideways_on_a_phone(scanning, portal, sign_in, shot, language):
    page = scanning(390, 844)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": portal}])
    page.goto(f"{portal}/accounts/login/")
    widths = {"login": page.evaluate("document.scrollingElement.scrollWidth")}
    sign_in(page, "manager", language)
    for name, spec in PAGES.items():
        page.goto(portal + _address(page, portal, spec))
        widths[name] = page.evaluate("document.scrollingElement.scrollWidth")
        shot(page, name)
    assert {name: width for name, width in widths.items() if width > 390} == {}
