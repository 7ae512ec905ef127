from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job


@job(
    "signin.directory_sync",
    _("Deactivate people who left the company directory and move people whose department changed."),
)
def directory_sync(now) -> int:
    # Off unless DIRECTORY_SYNC=1 and a directory is configured: the beat row exists (disabled) either way.
    if not (settings.DIRECTORY_SYNC_ENABLED and settings.LDAP_ENABLED):
        return 0
    from .directory import sync

    return sync(dry_run=False).changes
