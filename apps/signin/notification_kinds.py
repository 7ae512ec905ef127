"""The sign-in module's notification kinds (a plug-in of apps/notifications: see
apps/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Kind

GROUP = _("Sign-in")
KINDS = [
    # The nightly directory sync's report to the administrators (jobs.py).
    Kind("signin.directory_sync", _("Directory sync report")),
]
