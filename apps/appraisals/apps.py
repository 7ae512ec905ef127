from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "apps.appraisals"
    label = "appraisals"
    verbose_name = _("Appraisals")

    def ready(self) -> None:
        from . import machines, permissions  # noqa: F401  (registers the rules and the stage machine)
