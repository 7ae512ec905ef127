from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "apps.training"
    label = "training"
    verbose_name = _("Training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.policies.signals import version_published

        from . import (
            permissions,  # noqa: F401  (rules)
            services,
        )

        # Training builds on policies, never the other way: policies sends, training listens.
        version_published.connect(services.needs_from_published_version, dispatch_uid="training.needs")
