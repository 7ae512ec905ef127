"""The approvals engine's notification kinds (a plug-in of apps/notifications: see
apps/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Kind

GROUP = _("Approvals")
KINDS = [
    Kind("approvals.task", _("Waiting for your approval"), mandatory=True),
    Kind("approvals.reminder", _("Approval waiting past its limit"), mandatory=True),
    Kind("approvals.urge", _("A proposer urges your decision"), mandatory=True),
    Kind("approvals.decided", _("Your request was decided or returned")),
    Kind("approvals.copy", _("Approval copied to you")),
    Kind("approvals.delegation", _("Approvals delegated to you")),
]
