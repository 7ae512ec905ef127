"""Activation and reset mail, unlocking, password setting. Mail goes through the portal's
outbox (apps.notifications): a row now, sent by Celery after commit, retried while the mail
server is down, rendered here in the recipient's language."""

from collections.abc import Iterable
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.notifications.delivery import absolute, language_of
from apps.notifications.models import OutboundEmail
from apps.notifications.services import FIRST_ATTEMPT_GRACE, queue_delivery

from . import events, ratelimit
from .backends import LocalPasswordBackend
from .models import Invitation, SignInEvent
from .tokens import activation_tokens, reset_tokens, uid_for


class TooManyRequests(Exception):
    pass


def _render(user, template: str, link: str, **extra) -> tuple[str, str, str]:
    with translation.override(language_of(user)):
        en = translation.get_language() == "en"
        subject = {
            "activation": _("[%(portal)s] Activate your account"),
            "reset": _("[%(portal)s] Reset your password"),
        }[template] % {"portal": settings.PORTAL_NAME}
        ctx = {
            "user": user,
            "link": link,
            "subject": subject,
            "portal_name": settings.PORTAL_NAME,
            "language": "en" if en else "zh-CN",
            "colon": ": " if en else "：",
            "button": _("Set my password") if template == "activation" else _("Choose a new password"),
            **extra,
        }
        return (
            subject[:250],
            render_to_string(f"signin/email/{template}.txt", ctx),
            render_to_string(f"signin/email/{template}.html", ctx),
        )


def _queue_mail(user, rendered: tuple[str, str, str]) -> None:
    subject, text, html = rendered
    row = OutboundEmail.objects.create(
        recipient=user,
        to=user.email,
        subject=subject,
        body_text=text,
        body_html=html,
        next_attempt_at=timezone.now() + FIRST_ATTEMPT_GRACE,
    )
    queue_delivery([row.pk])


def not_activated():
    """Active people who never set a password and have no other way in (not from the directory or SSO)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, password__startswith="!")
        .exclude(external_accounts__isnull=False)
    )


def can_invite(user) -> bool:
    return bool(user.is_active and user.email and not user.has_usable_password())


@transaction.atomic
def invitations_send(*, users: Iterable, sent_by=None) -> int:
    """Mail each person who can be invited an activation link; returns how many were queued.
    Sending again is allowed (a lost mail); the older link keeps working until a password is set.
    Written in batches (a constant number of queries per 500 people: a roll-out to 5,000)."""
    sent = 0
    batch = []
    for user in users:
        if can_invite(user):
            batch.append(user)
        if len(batch) == INVITE_BATCH:
            sent += _invite_batch(batch, sent_by)
            batch = []
    return sent + (_invite_batch(batch, sent_by) if batch else 0)


INVITE_BATCH = 500


def _invite_batch(users: list, sent_by) -> int:
    now = timezone.now()
    days = settings.ACTIVATION_TIMEOUT // 86400
    rows = []
    for user in users:
        link = absolute(reverse("signin:activate", args=[uid_for(user), activation_tokens.make_token(user)]))
        subject, text, html = _render(user, "activation", link, days=days)
        rows.append(
            OutboundEmail(
                recipient=user,
                to=user.email,
                subject=subject,
                body_text=text,
                body_html=html,
                next_attempt_at=now + FIRST_ATTEMPT_GRACE,
            )
        )
    created = OutboundEmail.objects.bulk_create(rows)
    queue_delivery([row.pk for row in created])
    times = dict(Invitation.objects.filter(user__in=users).values_list("user_id", "times_sent"))
    Invitation.objects.bulk_create(
        [Invitation(user=u, sent_at=now, sent_by=sent_by, times_sent=times.get(u.pk, 0) + 1) for u in users],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["sent_at", "sent_by", "times_sent"],
    )
    return len(users)


@transaction.atomic
def invitations_send_pending(*, sent_by=None) -> int:
    """Everyone not activated who has a mail address and was never invited (the roll-out of
    people imported before activation mail existed). A second click finds nobody left; two
    at the same moment queue behind one lock."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('signin.invitations_send_pending'))")
    people = not_activated().filter(invitation__isnull=True).exclude(email="").order_by("pk")
    return invitations_send(users=people.iterator(chunk_size=500), sent_by=sent_by)


def password_reset_request(*, email: str, ip: str | None) -> int:
    """Mail a reset link to every active account with this address that uses a portal password.
    The caller shows the same answer whether or not one exists; only the rate limits (counted
    before any look-up, per address and per client address) can refuse."""
    window = settings.SIGNIN_MAIL_LIMIT_WINDOW
    address_ok = ratelimit.hit("address", email, limit=settings.SIGNIN_MAIL_LIMIT_PER_ADDRESS, window=window)
    ip_ok = ratelimit.hit("ip", ip or "-", limit=settings.SIGNIN_MAIL_LIMIT_PER_IP, window=window)
    if not (address_ok and ip_ok):
        raise TooManyRequests
    users = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True)
    hours = max(settings.PASSWORD_RESET_TIMEOUT // 3600, 1)
    sent = 0
    with transaction.atomic():
        for user in users:
            if not LocalPasswordBackend.local_password_allowed(user):
                continue  # their password lives in the directory
            link = absolute(reverse("signin:reset", args=[uid_for(user), reset_tokens.make_token(user)]))
            _queue_mail(user, _render(user, "reset", link, hours=hours))
            sent += 1
    return sent


def invitation_rate_ok(*, user, ip: str | None) -> bool:
    """Resending is rate-limited per address too (an administrator's double click, a script)."""
    return ratelimit.hit(
        "address", user.email, limit=settings.SIGNIN_MAIL_LIMIT_PER_ADDRESS, window=settings.SIGNIN_MAIL_LIMIT_WINDOW
    ) and ratelimit.hit(
        "ip", ip or "-", limit=settings.SIGNIN_MAIL_LIMIT_PER_IP, window=settings.SIGNIN_MAIL_LIMIT_WINDOW
    )


@transaction.atomic
def password_set_from_link(*, user, password: str, activation: bool) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    axes_reset(username=user.get_username())  # proved they own the mailbox: lift a lockout of the name
    if activation:
        Invitation.objects.filter(user=user, activated_at__isnull=True).update(activated_at=timezone.now())


def lockout_release(*, request, username: str = "", ip: str = "") -> int:
    """An administrator lifts a lockout (by username or by address); logged."""
    removed = 0
    if username:
        removed += axes_reset(username=username)
    if ip:
        removed += axes_reset(ip=ip)
    detail = f"by {request.user.get_username()}" + (f", address {ip}" if ip else "")
    events.record(SignInEvent.Kind.UNLOCKED, request=request, username=username, detail=detail)
    return removed


def locked_out_cutoff():
    return timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
