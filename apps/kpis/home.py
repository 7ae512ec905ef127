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
