"""Indicators: a figure still missing N days after its period ended (N per indicator) is first
chased by the KPI module's own idempotent job (`kpis.remind_missing_figures`: the responsible
person, else the department head); ESCALATE_AFTER_DAYS later, still missing, the department
head is told here. Both read apps.kpis.selectors.figures_missing, so they agree."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from apps.core.plugins import WorkItem
from apps.kpis import selectors as kpi_selectors
from apps.kpis.models import Indicator

from ..reminding import Due, ReminderSource, register_source

ESCALATE_AFTER_DAYS = 5
CHUNK = 2000


def _url(missing) -> str:
    return reverse("kpis:indicator", args=[missing.indicator.pk])


class MissingFiguresToHead(ReminderSource):
    name = "kpis.figures_missing"
    order = 30

    def scan(self, today):
        dues = []
        for m in kpi_selectors.figures_missing(today=today):
            head = m.indicator.department.head_id
            if head is None or m.indicator.responsible_id in (None, head):
                continue  # the first reminder already went to the head
            if m.due + timedelta(days=ESCALATE_AFTER_DAYS) >= today:
                continue
            dues.append(Due("kpis.indicator", m.indicator.pk, "kpis.figures_missing_head", m.period.end, head,
                            gettext_noop("Figure still missing in your department: %(name)s, %(period)s"),
                            gettext_noop("It was due by %(due)s; the responsible person has been reminded."),
                            _url(m), {"name": m.indicator.name, "period": m.period.label,
                                      "due": m.due.isoformat()}))
            if len(dues) >= CHUNK:
                yield dues
                dues = []
        if dues:
            yield dues

    def my_work(self, user, today):
        """The figures this user is chased for (same rule as figures_missing, on their own
        indicators only, so the home page does not compute the whole company's)."""
        mine = Indicator.objects.filter(Q(responsible=user) | Q(responsible__isnull=True, department__head=user))
        if not mine.filter(is_active=True).exists():
            return 0, []
        missing = [m for m in kpi_selectors.figures_missing(today=today) if m.recipient_id == user.pk]
        return len(missing), [WorkItem(title=f"{m.indicator.name} · {m.period.label}", url=_url(m),
                                       badge=m.due.isoformat(), badge_tone="danger") for m in missing[:5]]


register_source(MissingFiguresToHead())
