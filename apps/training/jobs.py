"""Scheduled jobs of training (found by apps.scheduling.registry)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job

from . import services


@job(
    "training.plans_from_appraisals",
    _("Start a development plan for every published appraisal graded Fail that has none."),
    schedule="40 6 * * *",
)
def plans_from_appraisals(now) -> int:
    return services.plans_from_appraisals(today=timezone.localdate(now))
