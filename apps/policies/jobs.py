"""Scheduled jobs of the regulations library (a plug-in of apps/scheduling: see apps/core/plugins.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job

from . import services


# Shortly after midnight, so a version effective today is in force from the start of the day.
@job(
    "policies.publish_due",
    _("Publish approved regulation versions whose effective date has come."),
    schedule="5 0 * * *",
)
def publish_due(now) -> int:
    return services.policies_publish_due(today=timezone.localdate(now))
