"""Training's notification kinds (a plug-in of apps/notifications: see
apps/notifications/kinds.py). The codes are constants the services use."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Kind

ENROLLED = "training.enrolled"
SESSION_CHANGED = "training.session_changed"
SESSION_SOON = "training.session_soon"
CERTIFICATE_EXPIRING = "training.certificate_expiring"
PLAN_STARTED = "training.development_started"
ACTION_OVERDUE = "training.development_action_overdue"

GROUP = _("Training")
KINDS = [
    Kind(ENROLLED, _("You were enrolled in a training session"), mandatory=True),
    Kind(SESSION_CHANGED, _("A training session you are in changed"), mandatory=True),
    Kind(SESSION_SOON, _("Training session tomorrow")),
    Kind(CERTIFICATE_EXPIRING, _("Certificate about to expire"), mandatory=True),
    Kind(PLAN_STARTED, _("A development plan was started for you")),
    Kind(ACTION_OVERDUE, _("Development plan action overdue")),
]
