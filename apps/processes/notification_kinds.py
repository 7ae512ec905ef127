"""The process module's notification kinds (a plug-in of apps/notifications: see
apps/notifications/kinds.py). Decisions on change requests are the approvals engine's kinds
(apps/approvals/notification_kinds.py)."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Kind

GROUP = _("Processes")
KINDS = [
    # Sent as things happen (services.py).
    Kind("processes.published", _("Process published")),
    Kind("processes.improvement_action", _("Improvement action assigned to you")),
    # Sent by the reminder scan (reminders.py).
    Kind("processes.review_due", _("Process review due")),
    Kind("processes.action_overdue", _("Improvement action overdue"), mandatory=True),
]
