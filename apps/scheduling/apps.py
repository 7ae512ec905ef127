from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "apps.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduled jobs")

    def ready(self):
        from . import beat_lock  # noqa: F401  (connects the one-beat lock to celery's beat_init)
