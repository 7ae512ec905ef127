from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job

from . import delivery, digest, reminding


# Every 15 minutes: state-based and cheap when nothing is new, so people hear about what became
# due the same morning (seed_demo, DEBUG only, switches it to every minute).
@job(
    "reminders.scan",
    _("Send every reminder that is due and not yet sent (all sources)."),
    schedule="*/15 * * * *",
)
def reminders_scan(now) -> int:
    return reminding.scan_all(now)


# Each mail commits on its own: a mail the server accepted is never rolled back into "pending".
@job(
    "notifications.deliver_pending",
    _("Retry outgoing mail that is still pending."),
    atomic=False,
    schedule="* * * * *",
)
def deliver_pending(now) -> int:
    return delivery.deliver_pending(now)


@job(
    "notifications.daily_digest",
    _("Mail each person one digest of their digest notifications."),
    schedule="0 8 * * *",
)
def daily_digest(now) -> int:
    return digest.daily_digest(now)
