from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.roles import Role
from apps.scheduling.registry import job


@job(
    "signin.directory_sync",
    gettext_lazy("Deactivate people who left the company directory and move people whose department changed."),
    schedule="30 2 * * *",
)
def directory_sync(now) -> int:
    # Off unless DIRECTORY_SYNC=1 and a directory is configured: the beat row exists either way
    # (scheduled nightly, like every job; it simply finds nothing to do).
    if not (settings.DIRECTORY_SYNC_ENABLED and settings.LDAP_ENABLED):
        return 0
    from .directory import sync

    report = sync(dry_run=False)
    if report.changes or report.unknown_departments:
        _tell_administrators(report)
    return report.changes


@job(
    "signin.prune_events",
    gettext_lazy("Forget sign-in log rows older than SIGNIN_LOG_DAYS (default a year)."),
    schedule="40 3 * * *",
)
def prune_events(now) -> int:
    from datetime import timedelta

    from .models import SignInEvent

    deleted, _n = SignInEvent.objects.filter(at__lt=now - timedelta(days=settings.SIGNIN_LOG_DAYS)).delete()
    return deleted


def _tell_administrators(report) -> None:
    """The report goes to the administrators' bell (and mail, as they chose)."""
    from apps.notifications.services import notify_many

    admins = get_user_model().objects.filter(is_active=True, groups__name=Role.ADMIN).distinct()
    title = _("Directory sync: %(off)d deactivated, %(moved)d moved") % {
        "off": len(report.deactivated),
        "moved": len(report.moved),
    }
    notify_many(recipients=list(admins), kind="signin.directory_sync", title=title, body="\n".join(report.lines()[1:]))
