"""Scheduled jobs of the indicators module (a plug-in of apps/scheduling: see apps/core/plugins.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job

from . import services


# 09:00, after the night: the first chase of each missing figure (the department head hears
# later, from the reminder scan: apps/kpis/reminders.py).
@job(
    "kpis.remind_missing_figures",
    _("Remind the responsible person of indicator figures still missing."),
    schedule="0 9 * * *",
)
def remind_missing_figures(now) -> int:
    return services.figures_missing_remind(today=timezone.localdate(now))
