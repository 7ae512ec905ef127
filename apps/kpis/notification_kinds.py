"""The indicators module's notification kinds (a plug-in of apps/notifications: see
apps/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Kind

GROUP = _("Indicators")
KINDS = [
    # The first chase of a missing figure (jobs.py), then the department head (reminders.py).
    Kind("kpis.figure_missing", _("Indicator figure missing"), mandatory=True),
    Kind("kpis.figures_missing_head", _("Figures missing in your department")),
]
