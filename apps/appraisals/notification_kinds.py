"""The appraisals module's notification kinds (a plug-in of apps/notifications: see
apps/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Kind

GROUP = _("Appraisals")
KINDS = [
    # Sent as things happen (services.py, opening.py).
    Kind("appraisals.self_open", _("Self-assessment open"), mandatory=True),
    Kind("appraisals.self_submitted", _("A report submitted their self-assessment")),
    Kind("appraisals.review_open", _("Manager review open"), mandatory=True),
    Kind("appraisals.reviewer_assigned", _("You review an appraisal"), mandatory=True),
    Kind("appraisals.peer_invited", _("Peer review requested")),
    Kind("appraisals.calibrated", _("Appraisal calibrated")),
    Kind("appraisals.published", _("Appraisal result published")),
    Kind("appraisals.objection", _("Objection to an appraisal")),
    Kind("appraisals.objection_resolved", _("Your objection was answered")),
    # Sent by the reminder scan (reminders.py).
    Kind("appraisals.stage_deadline", _("Appraisal step due soon"), mandatory=True),
]
