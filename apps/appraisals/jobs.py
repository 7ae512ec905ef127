"""Scheduled jobs of the appraisals module (a plug-in of apps/scheduling: see apps/core/plugins.py).
Each calls one idempotent, state-based service; running one twice does nothing twice."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job

from . import services


# 06:00 every day: the service itself waits for the first working day of the quarter (and
# catches up after a missed day).
@job(
    "appraisals.open_previous_quarter",
    _("On the first working day of a quarter, open the previous quarter's appraisal cycle."),
    schedule="0 6 * * *",
)
def open_previous_quarter(now) -> int:
    cycle = services.appraisal_cycle_open_previous_quarter(today=timezone.localdate(now))
    return 0 if cycle is None else cycle.appraisals.count()


# Just after midnight, so the day starts with the stages moved on.
@job(
    "appraisals.advance_due_stages",
    _("Move appraisal cycles to their next stage when a deadline has passed."),
    schedule="15 0 * * *",
)
def advance_due_stages(now) -> int:
    return len(services.appraisal_stages_advance_due(today=timezone.localdate(now)))
