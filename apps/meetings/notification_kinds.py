"""The meetings module's notification kinds (a plug-in of apps/notifications: see
apps/notifications/kinds.py). Codes are named in notices.py."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Kind

from . import notices as n

GROUP = _("Meetings")
KINDS = [
    Kind(n.INVITATION, _("Meeting invitation"), mandatory=True),
    Kind(n.CHANGED, _("Meeting changed"), mandatory=True),
    Kind(n.CANCELLED, _("Meeting cancelled"), mandatory=True),
    Kind(n.CONFIRM, _("Minutes to confirm"), mandatory=True),
    Kind(n.ISSUED, _("Minutes issued")),
    Kind(n.ACTION_ASSIGNED, _("Action item assigned to you"), mandatory=True),
    Kind(n.ACTION_DONE, _("Action item done, waiting for your acceptance")),
    Kind(n.ACTION_DECIDED, _("Your action item was accepted or reopened")),
    Kind(n.ACTION_OVERDUE, _("Action item overdue"), mandatory=True),
    Kind(n.ACTION_OVERDUE_MANAGER, _("Action item overdue in your team")),
]
