"""The daily digest: one mail per person with their unread notifications of "digest" kinds.
State-based (the digest_pending flag), so a second run the same day mails nothing and a
digest missed for a week comes once, with the whole week in it."""

from itertools import groupby

from django.contrib.auth import get_user_model

from .delivery import render_digest
from .models import Notification, OutboundEmail
from .services import FIRST_ATTEMPT_GRACE, queue_delivery

USERS_PER_BATCH = 500
MAX_ITEMS = 50


def daily_digest(now) -> int:
    recipients = sorted(set(Notification.objects.filter(digest_pending=True).values_list("recipient_id", flat=True)))
    mailed = 0
    for start in range(0, len(recipients), USERS_PER_BATCH):
        chunk = recipients[start : start + USERS_PER_BATCH]
        users = {u.pk: u for u in get_user_model().objects.filter(pk__in=chunk)}
        pending = list(
            Notification.objects.filter(recipient_id__in=chunk, digest_pending=True).order_by(
                "recipient_id", "-created_at", "-id"
            )
        )
        outbox = []
        for user_id, group in groupby(pending, key=lambda n: n.recipient_id):
            user = users[user_id]
            unread = [n for n in group if n.read_at is None]  # read in the portal already: not mailed again
            if not unread or not (user.is_active and user.email):
                continue
            subject, text, html = render_digest(user, unread[:MAX_ITEMS])
            outbox.append(
                OutboundEmail(
                    recipient=user,
                    to=user.email,
                    is_digest=True,
                    subject=subject,
                    body_text=text,
                    body_html=html,
                    next_attempt_at=now + FIRST_ATTEMPT_GRACE,
                )
            )
        OutboundEmail.objects.bulk_create(outbox)
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digest_pending=False)
        if outbox:
            queue_delivery([o.pk for o in outbox])
        mailed += len(outbox)
    return mailed
