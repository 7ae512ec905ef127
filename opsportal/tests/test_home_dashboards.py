"""The home page's "how things stand" panels, per role: who sees which (staff nothing of the
company, a head only their subtree), that every number links to a list the viewer may open,
the 催办 (nudge) button, and that the page costs the same number of queries with ten times
the data (home is a benchmarked page: apps/core/bench.py).

It crosses every module's home.py, so it lives with the project (engines import no domain app)."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.appraisals.defaults import ensure_default_template
from apps.appraisals.models import Appraisal, Status
from apps.appraisals.opening import appraisal_cycle_open
from apps.approvals.tests.conftest import memo_kind, propose  # noqa: F401 (fixtures)
from apps.kpis.periods import reporting_month
from apps.kpis.tests.factories import IndicatorFactory, MeasurementFactory
from apps.notifications.models import Notification, Nudge
from apps.policies.models import Acknowledgement
from apps.policies.tests.factories import bulk_policies
from apps.processes.models import Process
from apps.processes.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db

NOW = "2026-11-20 10:00 +0800"  # a Friday; the reporting month is 2026-10
TODAY = date(2026, 11, 20)
HOME = "/"


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def grow(org, make_user, propose, n: int, *, tag: str):  # noqa: F811
    """n more of everything the panels count, in the sales department (the manager's team)
    and in operations (outside it)."""
    month = reporting_month(TODAY)
    people = []
    for i in range(n):
        for dept, boss in ((org["sales_dept"], org["manager"]), (org["ops_group"], org["ops_head"])):
            people.append(make_user(roles=["staff"], username=f"{tag}-{dept.code}-{i}", department=dept, manager=boss))
    for dept in (org["sales_dept"], org["ops_dept"]):
        for i in range(n):
            ind = IndicatorFactory(department=dept, responsible=people[i * 2])
            if i % 2:
                MeasurementFactory(indicator=ind, year=month.year, index=month.index, value=Decimal("90"))
    policies = bulk_policies(owning=org["ops_dept"], count=n, articles=2, ack_everyone=True)
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(user=people[0], version_id=p.current_version_id) for p in policies]
    )
    for i in range(n):
        ProcessFactory(
            department=org["ops_dept"], status=Process.Status.IN_USE, next_review_date=TODAY - timedelta(days=i)
        )
        propose(proposer=people[i * 2], title=f"{tag}申请{i}")
    return people


def enrol(cycle, people):
    """Add appraisals for `people` the cheap way (a copy of an existing one's form)."""
    model = Appraisal.objects.filter(cycle=cycle).first()
    Appraisal.objects.bulk_create(
        [
            Appraisal(
                cycle=cycle,
                employee=p,
                department=p.department,
                reviewer=p.manager,
                form=model.form,
                status=Status.SUBMITTED if i % 2 else Status.SELF,
            )
            for i, p in enumerate(people)
        ]
    )


def open_cycle(org):
    ensure_default_template()
    cycle, _n = appraisal_cycle_open(
        code="2026Q3",
        today=TODAY,
        notify=False,
        self_deadline=TODAY + timedelta(days=5),
        review_deadline=TODAY + timedelta(days=10),
        calibration_deadline=TODAY + timedelta(days=15),
        close_date=TODAY + timedelta(days=30),
    )
    return cycle


def queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def panel_keys(html: str) -> set[str]:
    return set(re.findall(r'aria-labelledby="panel-([\w.-]+)"', html))


ROLES = ["gm", "ops", "hr", "manager", "staff"]


def test_query_count_does_not_grow_with_ten_times_the_data(org, make_user, client_for, propose):  # noqa: F811
    # N above every panel's "first five" so the small page already pays for its counts
    people = grow(org, make_user, propose, 6, tag="s")
    cycle = open_cycle(org)
    clients = {role: client_for(org[role]) for role in ROLES}
    for client in clients.values():
        client.get(HOME)  # warm the per-process caches (rules, calendar, kinds)
    small = {role: queries(c)[0] for role, c in clients.items()}
    more = grow(org, make_user, propose, 54, tag="l")  # 10N
    enrol(cycle, more)
    large = {role: queries(c)[0] for role, c in clients.items()}
    assert large == small
    # a sanity ceiling: the panels are a few aggregates each, not a page of their own
    assert max(large.values()) <= 75
    assert people


COMPANY = {"kpis-company", "approvals-waiting", "policies-review-dates", "processes-review-dates", "policies-acks"}
HR = {"appraisals-cycle-2026Q3"}
TEAM = {"kpis-team", "policies-acks-team", "appraisals-team-2026Q3"}


@pytest.mark.parametrize(
    "role, sees, not_sees",
    [
        ("gm", COMPANY, TEAM | HR),  # the general manager heads the root only: no team of their own here
        ("ops", COMPANY, TEAM | HR),
        ("hr", HR, COMPANY | TEAM),
        ("manager", TEAM, COMPANY | HR),
        ("staff", set(), COMPANY | HR | TEAM),
    ],
)
def test_who_sees_which_panel(org, make_user, client_for, propose, role, sees, not_sees):  # noqa: F811
    grow(org, make_user, propose, 2, tag="x")
    open_cycle(org)
    _n, html = queries(client_for(org[role]))
    keys = panel_keys(html)
    assert sees <= keys, keys
    assert not (not_sees & keys), keys
    if role == "staff":
        assert "how-things-stand" not in html


def test_every_number_links_to_a_list_the_viewer_may_open(org, make_user, client_for, propose):  # noqa: F811
    grow(org, make_user, propose, 2, tag="x")
    open_cycle(org)
    for role in ("gm", "ops", "hr", "manager"):
        client = client_for(org[role])
        html = client.get(HOME).content.decode()
        section = html.split('id="how-things-stand"', 1)[1]
        links = set(re.findall(r'href="(/[^"#]*)', section))
        assert links, role
        for url in links:
            url = url.replace("&amp;", "&")
            assert client.get(url).status_code == 200, (role, url)


def test_a_head_sees_only_their_subtree(org, make_user, client_for, propose):  # noqa: F811
    grow(org, make_user, propose, 3, tag="x")
    cycle = open_cycle(org)
    html = client_for(org["manager"]).get(HOME).content.decode()
    # the team panel names the head's department and none outside it
    team = html.split('id="how-things-stand"', 1)[1]
    assert "销售部" in team
    assert "流程优化组" not in team and "运营管理部" not in team
    # sales: the head, staff and 3 grown people are appraised; only those count
    in_sales = Appraisal.objects.filter(cycle=cycle, department=org["sales_dept"], is_excluded=False).count()
    assert in_sales >= 4
    assert f"/{in_sales} " in team or f"/{in_sales}<" in team or f"/{in_sales} ·" in team
    # the ops head's team covers ops and its group, not sales
    ops_html = client_for(org["ops_head"]).get(HOME).content.decode().split('id="how-things-stand"', 1)[1]
    assert "流程优化组" in ops_html and "销售部" not in ops_html


def test_kpi_numbers_match_the_overview_they_link_to(org, make_user, client_for, propose):  # noqa: F811
    grow(org, make_user, propose, 4, tag="x")
    month = reporting_month(TODAY)
    html = client_for(org["manager"]).get(HOME).content.decode()
    url = reverse("kpis:overview") + f"?month={month.key}&department=sales&status=missing"
    assert url.replace("&", "&amp;") in html
    overview = client_for(org["manager"]).get(url)
    missing_on_list = len(overview.context["figures"])
    assert missing_on_list == 2  # 4 indicators in sales, every other one has its figure
    assert re.search(rf'stat-number text-warning-emphasis">{missing_on_list}<', html)


class TestNudge:
    def test_a_head_nudges_their_team_once_a_day(self, org, make_user, client_for, propose):  # noqa: F811
        grow(org, make_user, propose, 2, tag="x")
        cycle = open_cycle(org)
        client = client_for(org["manager"])
        url = reverse("appraisals:nudge", args=[cycle.code])
        waiting = set(
            Appraisal.objects.filter(
                cycle=cycle, department=org["sales_dept"], status=Status.SELF, is_excluded=False
            ).values_list("employee_id", flat=True)
        ) - {org["manager"].pk}
        assert waiting
        response = client.post(url, {"stage": cycle.stage}, follow=True)
        assert response.status_code == 200
        nudged = Notification.objects.filter(kind="appraisals.stage_deadline")
        assert set(nudged.values_list("recipient_id", flat=True)) == waiting
        assert not nudged.filter(recipient__department=org["ops_group"]).exists()
        # again the same day: nothing more, and the page says so
        response = client.post(url, {"stage": cycle.stage}, follow=True)
        assert nudged.count() == len(waiting)
        assert "今天已催办过" in response.content.decode()
        assert "已催办" in client.get(HOME).content.decode()
        # the next day it may be sent again
        with time_machine.travel("2026-11-21 10:00 +0800", tick=False):
            again = client_for(org["manager"]).post(url, {"stage": cycle.stage}, follow=True)  # a new session
        assert [str(m) for m in again.context["messages"]] == ["已提醒 3 人。"]
        assert nudged.count() == 2 * len(waiting)
        assert Nudge.objects.count() == 2

    def test_ack_and_figure_nudges_reach_only_those_behind(self, org, make_user, client_for, propose):  # noqa: F811
        people = grow(org, make_user, propose, 2, tag="x")
        client = client_for(org["manager"])
        version = Acknowledgement.objects.filter(user=people[0]).first().version
        client.post(reverse("policies:nudge_ack", args=[version.policy.code, version.label]))
        acked = Notification.objects.filter(kind="policies.ack_reminder")
        recipients = set(acked.values_list("recipient_id", flat=True))
        assert people[0].pk not in recipients  # acknowledged already
        assert org["staff"].pk in recipients and org["manager"].pk not in recipients
        assert all(u.department_id == org["sales_dept"].pk for u in {n.recipient for n in acked})
        # the nudge is about the version: acknowledging it resolves the reminder
        from apps.policies.services import acknowledge

        acknowledge(user=org["staff"], version=version)
        assert acked.get(recipient=org["staff"]).resolved_at is not None
        assert acked.exclude(recipient=org["staff"]).filter(resolved_at__isnull=False).count() == 0
        month = reporting_month(TODAY)
        client.post(reverse("kpis:nudge_missing"), {"month": month.key})
        figures = Notification.objects.filter(kind="kpis.figure_missing")
        # sales indicators 0 (no figure) is people[0]'s; indicator 1 has its figure
        assert set(figures.values_list("recipient_id", flat=True)) == {people[0].pk}
        assert "/kpis/?month=" in figures.get().url

    def test_staff_and_others_may_not_nudge(self, org, make_user, client_for, propose):  # noqa: F811
        grow(org, make_user, propose, 1, tag="x")
        cycle = open_cycle(org)
        month = reporting_month(TODAY)
        for who in ("staff", "hr", "ops"):
            client = client_for(org[who])
            assert client.post(reverse("kpis:nudge_missing"), {"month": month.key}).status_code == 403
            nudge = client.post(reverse("appraisals:nudge", args=[cycle.code]), {"stage": cycle.stage})
            assert nudge.status_code == 403
        assert not Nudge.objects.exists() and not Notification.objects.filter(kind="kpis.figure_missing").exists()

    def test_a_cycle_that_moved_on_is_not_nudged_for_the_old_step(self, org, make_user, client_for, propose):  # noqa: F811
        cycle = open_cycle(org)
        response = client_for(org["manager"]).post(
            reverse("appraisals:nudge", args=[cycle.code]), {"stage": "review"}, follow=True
        )
        assert response.status_code == 200
        assert not Nudge.objects.exists()


def test_today_is_pinned():
    assert timezone.localdate() == TODAY


def test_the_lists_behind_the_numbers_filter_as_the_numbers_count(org, make_user, client_for, propose):  # noqa: F811
    grow(org, make_user, propose, 3, tag="x")
    cycle = open_cycle(org)
    # approvals waiting for more than 3 days
    from apps.approvals.models import Stage

    old = Stage.objects.filter(status=Stage.Status.ACTIVE).order_by("pk").first()
    Stage.objects.filter(pk=old.pk).update(entered_at=timezone.now() - timedelta(days=4))
    report = client_for(org["gm"]).get(reverse("approvals:report"), {"older": "3"})
    assert [s.pk for s in report.context["waiting"]] == [old.pk]
    assert len(client_for(org["gm"]).get(reverse("approvals:report")).context["waiting"]) == 3
    # appraisal participants of one department (and below)
    page = client_for(org["hr"]).get(cycle.get_absolute_url(), {"department": "ops"})
    depts = {a.department_id for a in page.context["page_obj"]}
    assert depts == {org["ops_dept"].pk, org["ops_group"].pk}
    assert sum(page.context["status_counts"].values()) == page.context["page_obj"].paginator.count
    # regulations overdue for review
    from apps.policies.models import Policy

    first, last = Policy.objects.order_by("pk")[0], Policy.objects.order_by("-pk")[0]
    Policy.objects.filter(pk=first.pk).update(next_review_date=TODAY - timedelta(days=1))
    Policy.objects.filter(pk=last.pk).update(next_review_date=TODAY + timedelta(days=9))
    overdue = client_for(org["ops"]).get(reverse("policies:review_list"), {"overdue": "1"})
    assert overdue.context["page_obj"].paginator.count == 1
    assert client_for(org["ops"]).get(reverse("policies:review_list")).context["page_obj"].paginator.count == 2
    html = client_for(org["ops"]).get(HOME).content.decode()
    tiles = re.findall(r'href="/policies/review/[^"]*">\s*<div class="stat-number[^"]*">(\d+)<', html)
    assert tiles == ["1", "2"]
