"""Mail delivery from the outbox: render in the recipient's language, send, and on failure
record the error and the next attempt (exponential backoff). A row leaves `pending` only when
the mail server accepted it, so nothing is lost while the server is down."""

import contextlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Notification, OutboundEmail

log = logging.getLogger("apps.notifications")
BACKOFF_BASE = 60
BACKOFF_CAP = 3600
DEFAULT_LANGUAGE = "zh-hans"


def backoff(attempts: int) -> int:
    """Seconds before attempt number attempts+1: 1, 2, 4, 8 ... minutes, at most an hour."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def base_url() -> str:
    return settings.PORTAL_BASE_URL


def absolute(url: str) -> str:
    if not url:
        return base_url() + "/"
    return url if url.startswith(("http://", "https://")) else base_url() + url


def language_of(user) -> str:
    return user.preferred_language or DEFAULT_LANGUAGE


def _context(user, **extra) -> dict:
    return {
        "user": user,
        "portal_url": absolute("/"),
        "portal_name": settings.PORTAL_NAME,
        "language": "en" if translation.get_language() == "en" else "zh-CN",
        "colon": ": " if translation.get_language() == "en" else "：",  # the plain-text mail's labels
        "preferences_url": absolute(reverse("notifications:preferences")),
        **extra,
    }


def render_notification(user, notification: Notification) -> tuple[str, str, str]:
    with translation.override(language_of(user)):
        ctx = _context(user, notification=notification, link=absolute(notification.url))
        subject = f"[{settings.PORTAL_NAME}] {notification.title}"
        return (
            subject[:250],
            render_to_string("notifications/email/notification.txt", ctx),
            render_to_string("notifications/email/notification.html", ctx),
        )


def render_digest(user, notifications: list[Notification]) -> tuple[str, str, str]:
    from django.utils.translation import ngettext

    with translation.override(language_of(user)):
        items = [{"n": n, "link": absolute(n.url)} for n in notifications]
        ctx = _context(user, items=items, count=len(items))
        subject = ngettext(
            "[%(portal)s] Your daily digest: %(count)d notification",
            "[%(portal)s] Your daily digest: %(count)d notifications",
            len(items),
        ) % {"portal": settings.PORTAL_NAME, "count": len(items)}
        return (
            subject[:250],
            render_to_string("notifications/email/digest.txt", ctx),
            render_to_string("notifications/email/digest.html", ctx),
        )


def attachments_for(notification: Notification | None) -> list[tuple[str, bytes, str]]:
    """Files a module adds to the mail of its notification (e.g. a meeting's .ics): each app's
    optional mail.py `attachments(notification) -> [(filename, content, mimetype)]`."""
    if notification is None:
        return []
    from apps.core.plugins import app_modules

    return [item for module in app_modules("mail") for item in module.attachments(notification)]


def deliver(ids: list[int]) -> list[int]:
    """Send these outbox rows (those still pending and not being sent elsewhere). Each row
    commits on its own. Returns the ids that failed and stay pending."""
    failed: list[int] = []
    connection = get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 30)
    try:
        for pk in ids:
            with transaction.atomic():
                row = (
                    OutboundEmail.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("recipient", "notification")
                    .filter(pk=pk, status=OutboundEmail.Status.PENDING)
                    .first()
                )
                if row is None:
                    continue  # sent already, or another worker is sending it right now
                if not _send(row, connection):
                    failed.append(pk)
    finally:
        with contextlib.suppress(Exception):  # a broken server may fail on QUIT too
            connection.close()
    return failed


def _send(row: OutboundEmail, connection) -> bool:
    row.attempts += 1
    try:
        if not row.subject:
            row.subject, row.body_text, row.body_html = render_notification(row.recipient, row.notification)
        message = EmailMultiAlternatives(
            row.subject, row.body_text, settings.DEFAULT_FROM_EMAIL, [row.to], connection=connection
        )
        message.attach_alternative(row.body_html, "text/html")
        for name, content, mimetype in attachments_for(row.notification):
            message.attach(name, content, mimetype)
        message.send()
    except Exception as exc:
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        row.next_attempt_at = timezone.now() + timedelta(seconds=backoff(row.attempts))
        row.save(update_fields=["attempts", "last_error", "next_attempt_at", "subject", "body_text", "body_html"])
        log.warning("mail %s to %s failed (attempt %d): %s", row.pk, row.to, row.attempts, row.last_error)
        with contextlib.suppress(Exception):
            connection.close()
        return False
    row.status = OutboundEmail.Status.SENT
    row.sent_at = timezone.now()
    row.save(update_fields=["attempts", "status", "sent_at", "subject", "body_text", "body_html"])
    return True


def deliver_pending(now, *, limit: int = 500) -> int:
    """The retry job: every pending mail whose next attempt is due."""
    ids = list(
        OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    failed = deliver(ids)
    return len(ids) - len(failed)
