from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "apps.policies"
    label = "policies"
    verbose_name = _("Regulations")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
