"""django-axes' database handler with two limits: a username is locked after
LOGIN_FAILURE_LIMIT failures, a client address after LOGIN_IP_FAILURE_LIMIT (higher: a whole
office signs in from one address behind its NAT, and one person's typos must not lock out
everybody). Single sign-on failures carry no username: they count for the address only
(axes alone would pool them all under "no username" and lock single sign-on for everyone)."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.db.models import Sum


def limit_for(parameter: str) -> int:
    return settings.LOGIN_IP_FAILURE_LIMIT if parameter == "ip_address" else settings.AXES_FAILURE_LIMIT


class SignInLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """Failures on axes' scale: AXES_FAILURE_LIMIT or more exactly when some bucket is at its own limit."""
        present = {
            "username": bool(get_client_username(request, credentials)),
            "ip_address": bool(getattr(request, "axes_ip_address", None)),
        }
        scale = settings.AXES_FAILURE_LIMIT
        worst = 0
        buckets = self.get_user_attempts(request, credentials)  # one per lockout parameter, in order
        for parameter, attempts in zip(settings.AXES_LOCKOUT_PARAMETERS, buckets, strict=True):
            if not present.get(parameter, True):
                continue
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if count >= limit_for(parameter):
                return max(count, scale)
            worst = max(worst, min(count, scale - 1))
        return worst
