from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "apps.processes"
    label = "processes"
    verbose_name = _("Processes")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
