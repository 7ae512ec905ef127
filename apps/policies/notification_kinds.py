"""The regulations library's notification kinds (a plug-in of apps/notifications: see
apps/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Kind

GROUP = _("Regulations")
KINDS = [
    # Sent as things happen (services.py; a draft's approval notifies through apps/approvals).
    Kind("policies.ack_required", _("Regulation to acknowledge"), mandatory=True),
    # Sent by the reminder scan (reminders.py).
    Kind("policies.review_due", _("Regulation review due")),
    Kind("policies.review_overdue", _("Regulation review overdue")),
    Kind("policies.ack_reminder", _("Acknowledgement still open"), mandatory=True),
    Kind("policies.ack_overdue_report", _("A report has not acknowledged")),
]
