"""The risk register's notification kinds (a plug-in of apps/notifications: see
apps/notifications/kinds.py). The codes are constants the services use."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Kind

REPORTED = "risks.reported"
ACCEPTED = "risks.accepted"
CLOSED = "risks.closed"
MEASURE_ASSIGNED = "risks.measure_assigned"
MEASURE_OVERDUE = "risks.measure_overdue"
MEASURE_ESCALATED = "risks.measure_escalated"
KRI_WARNING = "risks.kri_warning"
REVIEW_DUE = "risks.review_due"

GROUP = _("Risks")
KINDS = [
    Kind(REPORTED, _("A risk was reported in your department"), mandatory=True),
    Kind(ACCEPTED, _("A risk was put in the register with you as owner")),
    Kind(CLOSED, _("A risk you reported was closed")),
    Kind(MEASURE_ASSIGNED, _("Risk response measure assigned to you")),
    Kind(MEASURE_OVERDUE, _("Risk response measure overdue"), mandatory=True),
    Kind(MEASURE_ESCALATED, _("Risk response measure overdue in your team")),
    Kind(KRI_WARNING, _("Key risk indicator crossed its threshold"), mandatory=True),
    Kind(REVIEW_DUE, _("Risk review due"), mandatory=True),
]
