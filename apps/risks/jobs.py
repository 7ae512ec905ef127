"""Scheduled jobs of the risk register (found by apps.scheduling.registry)."""

from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job

from .models import KeyRiskIndicator
from .services import evaluate_kris

SCAN_BATCH = 2000


# Hourly: figures saved through the KPI pages are checked at once (signals.py); this catches bulk
# writes (imports, scale data) and anything the signal missed.
@job(
    "risks.kri_scan",
    _("Compare every key risk indicator with its newest KPI figure and warn on a new breach."),
    atomic=False,
    schedule="17 * * * *",
)
def kri_scan(now) -> int:
    """State-based: a breach already open sends nothing; each KRI commits on its own."""
    ids = list(KeyRiskIndicator.objects.order_by("pk").values_list("pk", flat=True))
    opened = 0
    for start in range(0, len(ids), SCAN_BATCH):
        opened += evaluate_kris(KeyRiskIndicator.objects.filter(pk__in=ids[start : start + SCAN_BATCH]), now=now)
    return opened
