from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "apps.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduled jobs")

    def ready(self):
        post_migrate.connect(_sync_schedule, sender=self, dispatch_uid="scheduling.sync_schedule")


def _sync_schedule(using, plan=None, **kwargs):
    """After `migrate` (and a test database flush): the beat schedule follows the jobs'
    declarations. Skipped when the migrate was a rollback that removed the beat tables."""
    from django.db import connections

    from .beat import sync_schedule

    tables = connections[using].introspection.table_names()
    if "django_celery_beat_periodictask" in tables and "scheduling_jobrun" in tables:
        sync_schedule()
