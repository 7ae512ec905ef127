"""The process module's notification kinds (a plug-in of apps/notifications: see
apps/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Kind

GROUP = _("Processes")
KINDS = [
    # Sent as things happen (services.py).
    Kind("processes.approval_required", _("Process change waiting for your decision"), mandatory=True),
    Kind("processes.reject", _("Your process change was rejected")),
    Kind("processes.return", _("Your process change was returned")),
    Kind("processes.published", _("Process published")),
    Kind("processes.delegation", _("Approvals delegated to you")),
    Kind("processes.improvement_action", _("Improvement action assigned to you")),
    # Sent by the reminder scan (reminders.py).
    Kind("processes.approval_waiting", _("Approval waiting for you"), mandatory=True),
    Kind("processes.approval_escalated", _("Approval waiting in your team")),
    Kind("processes.review_due", _("Process review due")),
    Kind("processes.action_overdue", _("Improvement action overdue"), mandatory=True),
]
