from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "apps.approvals"
    label = "approvals"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        from apps.notifications.kinds import register_kind

        from . import machines, permissions  # noqa: F401  (registers the machines and rules)

        group = _("Approvals")
        register_kind("approvals.task", _("Waiting for your approval"), group=group, mandatory=True)
        register_kind("approvals.reminder", _("Approval waiting past its limit"), group=group, mandatory=True)
        register_kind("approvals.urge", _("A proposer urges your decision"), group=group, mandatory=True)
        register_kind("approvals.decided", _("Your request was decided or returned"), group=group)
        register_kind("approvals.copy", _("Approval copied to you"), group=group)
        register_kind("approvals.delegation", _("Approvals delegated to you"), group=group)
