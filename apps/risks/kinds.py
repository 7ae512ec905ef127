"""The notification kinds of the risk register (registered with the notifications engine)."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import register_kind

GROUP = _("Risks")
REPORTED = "risks.reported"
ACCEPTED = "risks.accepted"
CLOSED = "risks.closed"
ACCEPTANCE_REQUESTED = "risks.acceptance_requested"
ACCEPTANCE_DECIDED = "risks.acceptance_decided"
MEASURE_ASSIGNED = "risks.measure_assigned"
MEASURE_OVERDUE = "risks.measure_overdue"
MEASURE_ESCALATED = "risks.measure_escalated"
KRI_WARNING = "risks.kri_warning"
REVIEW_DUE = "risks.review_due"

register_kind(REPORTED, _("A risk was reported in your department"), group=GROUP, mandatory=True)
register_kind(ACCEPTED, _("A risk was put in the register with you as owner"), group=GROUP)
register_kind(CLOSED, _("A risk you reported was closed"), group=GROUP)
register_kind(ACCEPTANCE_REQUESTED, _("Accepting a high risk needs your approval"), group=GROUP, mandatory=True)
register_kind(ACCEPTANCE_DECIDED, _("Decision on accepting a risk"), group=GROUP)
register_kind(MEASURE_ASSIGNED, _("Risk response measure assigned to you"), group=GROUP)
register_kind(MEASURE_OVERDUE, _("Risk response measure overdue"), group=GROUP, mandatory=True)
register_kind(MEASURE_ESCALATED, _("Risk response measure overdue in your team"), group=GROUP)
register_kind(KRI_WARNING, _("Key risk indicator crossed its threshold"), group=GROUP, mandatory=True)
register_kind(REVIEW_DUE, _("Risk review due"), group=GROUP, mandatory=True)
