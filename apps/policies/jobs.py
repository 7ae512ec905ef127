"""Scheduled jobs of the regulations library (found by apps.scheduling.registry).

The beat schedule row (daily, shortly after midnight) belongs to the scheduling app."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job

from . import services


@job("policies.publish_due", _("Publish approved regulation versions whose effective date has come."))
def publish_due(now) -> int:
    return services.policies_publish_due(today=timezone.localdate(now))
