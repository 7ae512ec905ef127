"""`make bench` pages and jobs for indicators, picked on the scale data."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from .models import Indicator
from .periods import reporting_month


def pages(ctx) -> list[dict]:
    month = reporting_month(ctx.get("today") or timezone.localdate())
    busiest = Indicator.objects.values("department__code").annotate(n=Count("pk")).order_by("-n").first()
    cascade = Indicator.objects.filter(scope="company").annotate(n=Count("children")).order_by("-n", "pk").first()
    monthly = Indicator.objects.filter(frequency="monthly", scope="department").order_by("pk").first()
    out = [
        {
            "name": "kpi overview (all indicators)",
            "path": reverse("kpis:overview"),
            "role": "ops",
            "admin_peer": reverse("admin:kpis_indicator_changelist"),
        },
        {
            "name": "kpi overview, off target, page 2",
            "path": reverse("kpis:overview") + "?status=red&page=2",
            "role": "ops",
        },
        {"name": "kpi overview as staff", "path": reverse("kpis:overview"), "role": "staff"},
    ]
    if busiest:
        out.append(
            {
                "name": f"kpi department page (busiest: {busiest['n']} indicators)",
                "path": reverse("kpis:department", args=[busiest["department__code"]]),
                "role": "staff",
            }
        )
    manager = ctx["users"].get("manager")
    if manager and manager.department_id and Indicator.objects.filter(department_id=manager.department_id).exists():
        code = manager.department.code
        out.append(
            {
                "name": "kpi entry page (manager's department)",
                "path": reverse("kpis:enter", args=[code, month.key]),
                "role": "manager",
            }
        )
    if cascade:
        out.append(
            {
                "name": f"kpi indicator page with cascade ({cascade.n} children)",
                "path": reverse("kpis:indicator", args=[cascade.pk]),
                "role": "ops",
            }
        )
    if monthly:
        out.append(
            {
                "name": "kpi indicator page (monthly, chart + 24 periods)",
                "path": reverse("kpis:indicator", args=[monthly.pk]),
                "role": "staff",
                "admin_peer": reverse("admin:kpis_indicator_change", args=[monthly.pk]),
            }
        )
    return out


def jobs(ctx) -> list[dict]:
    def missing_scan() -> int:
        from .selectors import figures_missing

        return len(figures_missing()) or Indicator.objects.count()

    def achievement_for_every_person_kpi() -> int:
        from .periods import Period
        from .selectors import kpi_achievement

        quarter = Period.last_ended_by(reporting_month(timezone.localdate()), "quarterly")
        inds = list(Indicator.objects.filter(scope="person").select_related("person")[:200])
        for ind in inds:
            kpi_achievement(indicator=ind, period=quarter)
        return len(inds)

    return [
        {"name": "figures missing scan (every indicator, 2 years)", "run": missing_scan},
        {"name": "kpi_achievement for 200 personal KPIs (a quarter)", "run": achievement_for_every_person_kpi},
    ]
