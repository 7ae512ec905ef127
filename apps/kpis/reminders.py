"""Indicators: a figure still missing N working days after its period ended (N per indicator) is
first chased by the KPI module's own idempotent job (`kpis.remind_missing_figures`: the responsible
person, else the department head); ESCALATE_AFTER_DAYS working days later, still missing, the department
head is told here. Both read apps.kpis.selectors.figures_missing, so they agree."""

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_noop

from apps.core.plugins import WorkItem
from apps.kpis import selectors as kpi_selectors
from apps.kpis.models import Indicator
from apps.kpis.selectors import entry_url
from apps.notifications.reminding import Due, ReminderSource
from apps.scheduling.calendar import add_working_days

ESCALATE_AFTER_DAYS = 5
CHUNK = 2000


def _url(missing) -> str:
    """The department's entry page of the month the missing figure's period ends in."""
    return entry_url(missing.indicator, missing.period)


class MissingFiguresToHead(ReminderSource):
    name = "kpis.figures_missing"
    order = 30

    def scan(self, today):
        dues = []
        for m in kpi_selectors.figures_missing(today=today):
            head = m.indicator.department.head_id
            if head is None or m.indicator.responsible_id in (None, head):
                continue  # the first reminder already went to the head
            if add_working_days(m.due, ESCALATE_AFTER_DAYS) >= today:
                continue
            dues.append(
                Due(
                    "kpis.indicator",
                    m.indicator.pk,
                    "kpis.figures_missing_head",
                    m.period.end,
                    head,
                    gettext_noop("Figure still missing in your department: %(name)s, %(period)s"),
                    gettext_noop("It was due by %(due)s; the responsible person has been reminded."),
                    _url(m),
                    {"name": m.indicator.name, "period": m.period.label, "due": m.due.isoformat()},
                )
            )
            if len(dues) >= CHUNK:
                yield dues
                dues = []
        if dues:
            yield dues

    def my_work(self, user, today):
        missing = missing_for(user, today)
        return len(missing), [
            WorkItem(
                title=f"{m.indicator.name} · {m.period.label}",
                url=_url(m),
                badge=m.due.isoformat(),
                badge_tone="danger",
            )
            for m in missing[:5]
        ]


def missing_for(user, today, lookback_years: int = 2) -> list:
    """kpis.selectors.figures_missing restricted to the indicators `user` is chased for (the
    responsible person, else the department head): the same rule on a few indicators, so the
    home page does not compute the whole company's. A test keeps the two in step."""
    from apps.kpis.models import Measurement
    from apps.kpis.periods import Period

    inds = list(
        Indicator.objects.filter(is_active=True)
        .filter(Q(responsible=user) | Q(responsible__isnull=True, department__head=user))
        .select_related("department")
    )
    if not inds:
        return []
    since = date(today.year - lookback_years, 1, 1)
    have = set(
        Measurement.objects.filter(indicator__in=inds, value__isnull=False, year__gte=since.year).values_list(
            "indicator_id", "year", "index"
        )
    )
    out = []
    for ind in inds:
        p = Period.containing(max(ind.active_from, since), ind.frequency)
        while (due := kpi_selectors.figure_due(p, ind.reminder_days)) < today:
            if (ind.pk, p.year, p.index) not in have:
                out.append(kpi_selectors.MissingFigure(ind, p, due))
            p = p.next()
    return sorted(out, key=lambda m: m.due)


SOURCES = [MissingFiguresToHead()]
