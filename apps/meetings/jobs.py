"""Scheduled jobs of the meetings module (a plug-in of apps/scheduling: see apps/core/plugins.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job

from . import services


# 01:00, before anyone looks: the series' meetings for the weeks ahead (idempotent, catches up).
@job(
    "meetings.generate_series",
    _("Make the meetings of every series ahead of time (working days)."),
    schedule="0 1 * * *",
)
def generate_series(now) -> int:
    return services.generate_series_meetings(today=timezone.localdate(now))
