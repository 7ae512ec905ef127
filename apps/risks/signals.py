"""A KPI figure saved through the KPI module's services re-checks the risks watching that
indicator once the figure is committed (the scheduled scan catches bulk writes too)."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from apps.kpis.models import Measurement


@receiver(post_save, sender=Measurement, dispatch_uid="risks.kri_on_figure")
def recheck_kris(sender, instance, **kwargs):
    indicator_id = instance.indicator_id

    def run():
        from .models import KeyRiskIndicator
        from .services import evaluate_kris

        kris = KeyRiskIndicator.objects.filter(indicator_id=indicator_id)
        if kris.exists():
            evaluate_kris(kris)

    transaction.on_commit(run)
