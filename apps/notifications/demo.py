"""`seed_demo` part: the reminder scan set to every minute (seed_demo runs only with DEBUG), so
`make run` shows reminders arriving in the bell and in the console mail within a minute.

The reminders themselves are the modules' reminder sources run on the demo's own data (a
regulation not yet acknowledged, a figure still missing, a self-assessment deadline ahead):
true on whatever day the demo is seeded, and resolved when the demo login does the task. The
engine plants no reminder of its own (a fixed text would point at things that do not exist and
at dates that have passed)."""

from django.conf import settings
from django.utils import timezone

from .models import OutboundEmail


def seed(ctx: dict) -> None:
    # The modules seeded after us notify as they build their history; after_all() keeps
    # those from flooding the console mail.
    ctx.setdefault("notifications_seed_started", timezone.now())
    if settings.DEBUG:
        _scan_every_minute()
    ctx["stdout"].write("notifications: reminders.scan runs every minute (DEBUG)")


def _scan_every_minute() -> None:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    every_minute, _ = CrontabSchedule.objects.get_or_create(
        minute="*", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE
    )
    PeriodicTask.objects.filter(name="reminders.scan").exclude(crontab=every_minute).update(crontab=every_minute)


def after_all(ctx: dict) -> None:
    """Once every module has seeded: the notifications the modules wrote while building their
    demo history stay in the bell but are not mailed, so the console of `make run` shows the
    reminders the beat schedule sends in its first minute, not hundreds of history mails."""
    since = ctx.get("notifications_seed_started")
    if since is None:
        return
    dropped, _ = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, created_at__gte=since).delete()
    if dropped:
        ctx["stdout"].write(f"notifications: {dropped} mails of the demo history not sent (they stay in the bell)")
