"""The notifications engine's own kinds (a plug-in like any app's: see kinds.py)."""

from django.utils.translation import gettext_lazy as _

from .kinds import GENERAL, Kind

GROUP = GENERAL
KINDS = [
    Kind("reminders.planned", _("Planned reminder")),
]
