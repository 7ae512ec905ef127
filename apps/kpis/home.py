"""Home page card: departments whose figures for the reporting month I still have to enter."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.plugins import WorkItem, WorkPanel

from .models import Indicator, Measurement
from .periods import Frequency, Period, reporting_month


def my_work(user) -> list[WorkPanel]:
    month = reporting_month(timezone.localdate())
    due = {f: Period.containing(month.start, f) for f in Frequency.values}
    due = {f: p for f, p in due.items() if p.end == month.end}
    has_figure = Q()
    for freq, p in due.items():
        has_figure |= Q(frequency=freq) & ~Exists(
            Measurement.objects.filter(indicator=OuterRef("pk"), year=p.year, index=p.index, value__isnull=False)
        )
    rows = (
        Indicator.objects.filter(is_active=True, frequency__in=list(due))
        .filter(Q(department__head=user) | Q(responsible=user))
        .filter(has_figure)
        .values("department__code", "department__name")
        .annotate(n=Count("pk"))
        .order_by("department__name")
    )  # one query
    items = [
        WorkItem(
            title=r["department__name"],
            url=reverse("kpis:enter", args=[r["department__code"], month.key]),
            detail=_("Figures for %(m)s") % {"m": month.label},
            badge=str(r["n"]),
            badge_tone="warning",
        )
        for r in rows
    ]
    if not items:
        return []
    return [
        WorkPanel(
            key="kpis",
            title=_("Figures to enter"),
            icon="bi-graph-up",
            items=items[:5],
            count=sum(int(i.badge) for i in items),
            more_url=items[0].url,
            order=50,
        )
    ]


# --- how things stand ----------------------------------------------------------------------
WORST = 5
NUDGE_KIND = "kpis.figure_missing"


def role_panels(user) -> list[WorkPanel]:
    from apps.departments.permissions import team_departments

    month = reporting_month(timezone.localdate())
    panels = []
    if user.has_perm("departments.view_company_overview"):
        panels.append(_company_panel(user, month))
    team = team_departments(user)
    if team:
        panel = _team_panel(user, team, month)
        if panel:
            panels.append(panel)
    return panels


def _company_panel(user, month) -> WorkPanel:
    from .achievement import STATUS_COLOUR, Status
    from .selectors import overview

    data = overview(user=user, month=month)
    base = reverse("kpis:overview") + f"?month={month.key}"
    total = data["total"] or 1
    labels = dict(Status.choices)
    segments = [
        {
            "label": labels[st],
            "n": n,
            "pct": f"{100 * n / total:.2f}",
            "colour": STATUS_COLOUR[st],
            "url": f"{base}&status={st}",
        }
        for st, n in data["counts"].items()
    ]
    worst = [f for f in data["figures"] if f.status in (Status.RED, Status.AMBER)][:WORST]
    return WorkPanel(
        key="kpis-company",
        title=_("Company indicators"),
        icon="bi-speedometer2",
        order=200,
        more_url=base,
        template="kpis/home_company.html",
        data={"segments": segments, "total": data["total"], "worst": worst, "month": month},
        empty_text=_("No indicators yet."),
    )


def _team_panel(user, team, month) -> WorkPanel | None:
    from apps.departments.permissions import team_scope_key
    from apps.notifications.nudges import nudged_today

    from .selectors import missing_by_department, missing_figure_owners

    rows = missing_by_department(departments=team, month=month)
    if not rows:
        return None
    base = reverse("kpis:overview") + f"?month={month.key}"
    total = sum(r["total"] for r in rows)
    missing = sum(r["missing"] for r in rows)
    out = []
    for r in rows:
        done = r["total"] - r["missing"]
        out.append(
            {
                "label": r["department__name"],
                "url": f"{base}&department={r['department__code']}&status=missing",
                "done": done,
                "total": r["total"],
                "pct": round(100 * done / r["total"]) if r["total"] else 100,
            }
        )
    nudge = None
    if missing:
        nudge = {
            "id": "nudge-kpis",
            "action": reverse("kpis:nudge_missing"),
            "fields": {"month": month.key},
            "people": missing_figure_owners(departments=team, month=month).exclude(pk=user.pk).count(),
            "done_today": month.key
            in nudged_today(kind=NUDGE_KIND, scope=team_scope_key(user), day=timezone.localdate()),
            "what": _("enter the missing figures as of %(m)s") % {"m": month.label},
        }
    return WorkPanel(
        key="kpis-team",
        title=_("My team's figures"),
        icon="bi-graph-up",
        order=320,
        more_url=f"{base}&department={team[0].code}&status=missing",
        template="kpis/home_team.html",
        data={
            "rows": out[:8],
            "more": len(out) - 8,
            "missing": missing,
            "total": total,
            "month": month,
            "nudge": nudge,
        },
    )
