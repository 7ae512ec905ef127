from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "apps.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from apps.notifications.kinds import MODULES, register_kind

        from . import permissions  # noqa: F401  (registers the rules)
        from .notification_kinds import GROUP, KINDS

        # The notifications engine of today reads kinds registered from code; the plug-in
        # (notification_kinds.py) holds them so an engine that discovers it needs nothing here.
        MODULES.setdefault(self.label, GROUP)
        for kind in KINDS:
            register_kind(kind.code, kind.label, group=GROUP, mandatory=kind.mandatory)
