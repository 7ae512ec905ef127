from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "apps.kpis"
    label = "kpis"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
