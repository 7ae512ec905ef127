from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "apps.approvals"
    label = "approvals"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        from . import machines, permissions  # noqa: F401  (registers the machines and rules)
