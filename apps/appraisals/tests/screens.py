"""A whole appraisal cycle in headless Chromium as staff, manager and hr, with screenshots
in /tmp/appraisals-*.png. Uses the dev server of this app and its seeded demo database;
it rebuilds the demo's current cycle first and last, so it can run again.

    DEBUG=1 DATABASE_URL=... .venv/bin/python apps/appraisals/tests/screens.py [base url]
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsportal.settings")
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM helpers run beside Playwright's event loop

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from apps.appraisals.demo import demo_quarters  # noqa: E402

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8104"
CLOSED, CODE = demo_quarters(timezone.localdate())  # the demo's cycles on the day it was seeded
shots = []


def reset_cycle():
    from apps.appraisals.models import Cycle

    Cycle.objects.filter(code=CODE).delete()
    call_command("seed_demo", stdout=open(os.devnull, "w"))


def colleagues_done(stage):
    """Everybody but the demo logins gets their step done in the background."""
    import random

    from apps.appraisals.models import Appraisal, Cycle
    from apps.appraisals.simulate import FILLED_FIELDS, fill

    rng = random.Random(3)
    cycle = Cycle.objects.get(code=CODE)
    rows = [
        a
        for a in Appraisal.objects.filter(cycle=cycle).select_related("form", "cycle", "employee")
        if a.employee.username not in ("staff",)
    ]
    for a in rows:
        if a.reviewer_id is None:
            Appraisal.objects.filter(pk=a.pk).update(
                is_excluded=True, excluded_reason="公司最高负责人，由董事会另行考核"
            )
            continue
        if stage == "review":
            fill(a, rng)
    if stage == "review":
        # a little over the 20 % rule, so calibration has work to do
        for a in rng.sample([a for a in rows if a.total is not None], k=len(rows) // 4):
            a.total, a.grade, a.final_grade = a.total.max(a.total.__class__("91.5")), "excellent", "excellent"
        Appraisal.objects.bulk_update(rows, FILLED_FIELDS, batch_size=500)


def shot(page, name):
    path = f"/tmp/appraisals-{name}.png"
    page.screenshot(path=path, full_page=True)
    shots.append(path)


def confirm(page, dialog):
    """Open a stage step's confirm dialog and confirm it."""
    page.click(f'[data-bs-target="#{dialog}"]')
    page.wait_for_timeout(400)
    page.click(f"#{dialog} .modal-footer button[type=submit]:not([formaction])")
    page.wait_for_load_state("networkidle")


def login(browser, username):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "opsportal-demo")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def main():
    reset_cycle()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        staff = login(browser, "staff")
        staff.goto(f"{BASE}/appraisals/")
        shot(staff, "01-staff-home")
        staff.click("text=填写自评")
        staff.wait_for_load_state("networkidle")
        inputs = staff.locator("input[name^=score-]")
        for i in range(inputs.count()):
            inputs.nth(i).fill(str([92, 88, 85, 80, 86, 90, 95][i % 7]))
        staff.locator("textarea[name^=comment-]").first.fill("完成了全部季度重点任务，并牵头品牌活动。")
        staff.fill("#summary", "本季度完成品牌推广计划，组织两场行业活动，新媒体粉丝增长 35%。")
        staff.wait_for_timeout(800)  # the HTMX total
        shot(staff, "02-staff-self-form-live-total")
        staff.click("button[name=save]")
        staff.wait_for_load_state("networkidle")
        staff.click("button[name=submit]")
        staff.wait_for_load_state("networkidle")
        shot(staff, "03-staff-self-submitted")

        # the manager asks a colleague for feedback (360) while self-assessment runs
        manager = login(browser, "manager")
        manager.goto(staff.url)
        manager.fill("#id_pi-peers", "marketing-01")
        manager.locator("input[name=pi-criteria]").nth(0).check()
        manager.locator("input[name=pi-criteria]").nth(6).check()
        manager.fill("#id_pi-deadline", "2026-12-10")
        manager.click("button:has-text('邀请')")
        manager.wait_for_load_state("networkidle")
        peer = login(browser, "marketing-01")
        peer.goto(f"{BASE}/appraisals/")
        peer.click("text=刘洋")
        peer.wait_for_load_state("networkidle")
        peer.locator("textarea").nth(0).fill("品牌活动策划周密，执行到位。")
        peer.locator("textarea").nth(1).fill("乐于分享素材和经验，配合度高。")
        shot(peer, "03b-peer-feedback")
        peer.click("button:has-text('提交评价')")
        peer.wait_for_load_state("networkidle")

        hr = login(browser, "hr")
        hr.goto(f"{BASE}/appraisals/cycles/")
        shot(hr, "04-hr-cycles")
        hr.goto(f"{BASE}/appraisals/cycles/{CODE}/")
        confirm(hr, "stage-advance")
        shot(hr, "05-hr-cycle-review-stage")

        colleagues_done("review")
        manager.goto(f"{BASE}/appraisals/cycles/{CODE}/team/")
        shot(manager, "06-manager-team")
        manager.click("table a.btn-primary")
        manager.wait_for_load_state("networkidle")
        inputs = manager.locator("input[name^=score-]")
        for i in range(inputs.count()):
            inputs.nth(i).fill(str([90, 85, 84, 80, 82, 88, 93][i % 7]))
        manager.fill("#summary", "品牌活动组织出色，数据分析能力仍需加强。")
        manager.wait_for_timeout(800)
        shot(manager, "07-manager-review-form")
        manager.click("button[name=submit]")
        manager.wait_for_load_state("networkidle")
        shot(manager, "08-manager-reviewed")

        hr.goto(f"{BASE}/appraisals/cycles/{CODE}/")
        confirm(hr, "stage-advance")
        hr.goto(f"{BASE}/appraisals/cycles/{CODE}/calibration/")
        hr.wait_for_timeout(500)
        shot(hr, "09-hr-calibration")
        confirm(hr, "stage-publish")
        shot(hr, "10-hr-publish-refused")
        # calibrate excellent ones down until the rule holds
        from apps.appraisals import services
        from apps.appraisals.models import Appraisal, Cycle

        cycle = Cycle.objects.get(code=CODE)
        first = True
        while services.publish_problems(cycle):
            a = (
                Appraisal.objects.filter(cycle=cycle, final_grade="excellent", is_excluded=False)
                .exclude(employee__username="staff")
                .order_by("total")
                .first()
            )
            if first:
                hr.goto(f"{BASE}/appraisals/a/{a.pk}/")
                hr.select_option("#id_final_grade", "good")
                hr.fill("#id_reason", "与部门内同级横向比较后调整为良好")
                hr.click("text=调整等级")
                hr.wait_for_load_state("networkidle")
                shot(hr, "11-hr-calibrated")
                first = False
            else:
                from django.contrib.auth import get_user_model

                services.appraisal_calibrate(
                    appraisal=a,
                    actor=get_user_model().objects.get(username="hr"),
                    final_grade="good",
                    reason="横向比较后调整",
                )
        hr.goto(f"{BASE}/appraisals/cycles/{CODE}/calibration/")
        confirm(hr, "stage-publish")
        shot(hr, "12-hr-published")

        staff.goto(f"{BASE}/appraisals/")
        staff.click("text=打开")
        staff.wait_for_load_state("networkidle")
        shot(staff, "13-staff-result")
        staff.click('[data-bs-target="#objection"]')
        staff.wait_for_timeout(400)
        staff.fill("#objection-reason", "数据分析项评分偏低，本季度已完成两份分析报告。")
        staff.click("#objection .modal-footer button[type=submit]")
        staff.wait_for_load_state("networkidle")
        shot(staff, "14-staff-objected")
        from apps.appraisals.models import PeerReview

        assert PeerReview.objects.filter(appraisal__cycle__code=CODE).exclude(submitted_at=None).exists()
        assert "品牌活动策划周密" in staff.content() and "许明" not in staff.content()  # anonymous

        hr.goto(staff.url)
        hr.click('[data-bs-target="#resolve-objection"]')
        hr.wait_for_timeout(400)
        hr.fill("#id_resolution", "经与部门经理复核，维持原等级，建议下季度加强数据分析培训。")
        hr.click("#resolve-objection .modal-footer button[type=submit]")
        hr.wait_for_load_state("networkidle")
        shot(hr, "15-hr-resolved")
        hr.goto(f"{BASE}/appraisals/templates/")
        shot(hr, "16-hr-templates")
        hr.goto(f"{BASE}/appraisals/cycles/{CLOSED}/calibration/")
        hr.wait_for_timeout(500)
        shot(hr, "17-hr-q3-calibration")
        browser.close()
    reset_cycle()
    print("\n".join(shots))


if __name__ == "__main__":
    main()
