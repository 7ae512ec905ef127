"""The notification kinds of training (registered with the notifications engine)."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import register_kind

GROUP = _("Training")
ENROLLED = "training.enrolled"
SESSION_CHANGED = "training.session_changed"
SESSION_SOON = "training.session_soon"
CERTIFICATE_EXPIRING = "training.certificate_expiring"
PLAN_STARTED = "training.development_started"
ACTION_OVERDUE = "training.development_action_overdue"

register_kind(ENROLLED, _("You were enrolled in a training session"), group=GROUP, mandatory=True)
register_kind(SESSION_CHANGED, _("A training session you are in changed"), group=GROUP, mandatory=True)
register_kind(SESSION_SOON, _("Training session tomorrow"), group=GROUP)
register_kind(CERTIFICATE_EXPIRING, _("Certificate about to expire"), group=GROUP, mandatory=True)
register_kind(PLAN_STARTED, _("A development plan was started for you"), group=GROUP)
register_kind(ACTION_OVERDUE, _("Development plan action overdue"), group=GROUP)
