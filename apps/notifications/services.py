"""Sending notifications. Modules call notify() inside their own transaction; the row is
written with it, so a rolled-back decision notifies nobody. Mail follows each recipient's
preference for the kind: an outbox row now (sent by Celery after commit), a flag for the
daily digest, or nothing. Mail never blocks the caller: the broker or mail server being down
only leaves the outbox row pending for the retry job.

Telling the truth: a notification may name its *subject*, the thing it asks the recipient to
do something about (`subject=obj` or `("policies.version", 7)`). A newer notification of the
same kind about the same subject replaces the recipient's open one (one item per thing to do),
and the module that sees the thing done calls `resolve(subject=..., kinds=..., recipients=...)`:
the notifications leave the unread count and the digest, and planned reminders about it stop.
The engine knows subjects only as (type, id) pairs; it never imports the module."""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .kinds import kind_for
from .models import Channel, Notification, NotificationPreference

log = logging.getLogger("apps.notifications")
# The retry job leaves a fresh mail to its Celery task for this long before trying itself.
FIRST_ATTEMPT_GRACE = timedelta(minutes=2)
DELIVERY_CHUNK = 50


Subject = tuple[str, int]


def subject_key(subject) -> Subject:
    """("app_label.model", pk) of a model instance; a (type, id) pair is taken as it is."""
    if isinstance(subject, tuple):
        return str(subject[0]), int(subject[1])
    return subject._meta.label_lower, subject.pk


def notify(*, recipient, kind: str, title: str, body: str = "", url: str = "", subject=None) -> Notification:
    row = _row(recipient, kind, title, body, url, subject)
    create_notifications([row], emails=addresses([recipient.pk]))
    return row


def notify_many(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "", subject=None) -> int:
    recipients = list(recipients)
    rows = [_row(r, kind, title, body, url, subject) for r in recipients]
    create_notifications(rows, emails=addresses([r.pk for r in recipients]))
    return len(rows)


def _row(recipient, kind, title, body, url, subject) -> Notification:
    subject_type, subject_id = subject_key(subject) if subject is not None else ("", None)
    return Notification(
        recipient=recipient,
        kind=kind,
        title=title[:200],
        body=body,
        url=url,
        subject_type=subject_type,
        subject_id=subject_id,
    )


def _ids(people: Iterable) -> list[int]:
    return [p if isinstance(p, int) else p.pk for p in people]


def resolve(*, subject, kinds: Iterable[str] | None = None, recipients=None, keep=None) -> int:
    """The thing was done: the open notifications about `subject` (of these kinds, to these
    recipients, except those to `keep`) are resolved — read, out of the digest, shown as done —
    and the planned reminders about it stop. Returns the number of notifications resolved.
    Two queries, inside the caller's transaction (a rolled-back task resolves nothing)."""
    from .models import Reminder

    subject_type, subject_id = subject_key(subject)
    now = timezone.now()
    open_ = Notification.objects.filter(subject_type=subject_type, subject_id=subject_id, resolved_at__isnull=True)
    planned = Reminder.objects.filter(object_type=subject_type, object_id=subject_id, done_at__isnull=True)
    if kinds is not None:
        kinds = list(kinds)
        open_, planned = open_.filter(kind__in=kinds), planned.filter(kind__in=kinds)
    if recipients is not None:
        ids = _ids(recipients)
        open_, planned = open_.filter(recipient_id__in=ids), planned.filter(recipient_id__in=ids)
    if keep:
        ids = _ids(keep)
        open_, planned = open_.exclude(recipient_id__in=ids), planned.exclude(recipient_id__in=ids)
    count = open_.update(resolved_at=now, read_at=Coalesce("read_at", Value(now)), digest_pending=False)
    planned.update(done_at=now)
    return count


def addresses(user_ids: Iterable[int]) -> dict[int, str]:
    """Mail address of each active user (one query: callers may pass `User(pk=...)` stubs)."""
    from django.contrib.auth import get_user_model

    rows = get_user_model().objects.filter(pk__in=set(user_ids), is_active=True).exclude(email="")
    return dict(rows.values_list("pk", "email"))


def channels_for(pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """The mail channel of each (user id, kind): their preference, else the kind's default;
    a mandatory kind is never off. One query."""
    pairs = set(pairs)
    chosen = {}
    if pairs:
        rows = NotificationPreference.objects.filter(
            user_id__in={u for u, _ in pairs}, kind__in={k for _, k in pairs}
        ).values_list("user_id", "kind", "channel")
        chosen = {(u, k): c for u, k, c in rows}
    result = {}
    for user_id, code in pairs:
        kind = kind_for(code)
        channel = chosen.get((user_id, code), kind.default)
        result[(user_id, code)] = Channel.IMMEDIATE if (channel == Channel.OFF and kind.mandatory) else channel
    return result


def create_notifications(rows: list[Notification], *, emails: dict[int, str]) -> list[Notification]:
    """Insert the notifications and route their mail; a constant number of queries for any
    number of rows. `emails` maps recipient id -> address ("" for none/inactive)."""
    ids, created_at = insert_notifications(
        [(n.recipient_id, n.kind, n.title, n.body, n.url, n.subject_type, n.subject_id) for n in rows], emails=emails
    )
    for n, pk in zip(rows, ids, strict=False):
        n.pk, n.created_at, n._state.adding = pk, created_at, False
    return rows


_INSERT_NOTIFICATIONS = """
INSERT INTO notifications_notification (recipient_id, kind, title, body, url, subject_type, subject_id,
    created_at, digest_pending)
SELECT x.r, x.k, x.t, x.b, x.u, x.st, x.si, %s, x.d
FROM unnest(%s::bigint[], %s::varchar[], %s::varchar[], %s::text[], %s::varchar[], %s::varchar[], %s::bigint[],
    %s::boolean[]) AS x(r, k, t, b, u, st, si, d)
RETURNING id
"""
# A new notification replaces the recipient's open one of the same kind about the same subject.
_SUPERSEDE = """
UPDATE notifications_notification n
SET resolved_at = %s, read_at = COALESCE(n.read_at, %s), digest_pending = false
FROM unnest(%s::bigint[], %s::varchar[], %s::varchar[], %s::bigint[]) AS x(r, k, st, si)
WHERE n.recipient_id = x.r AND n.kind = x.k AND n.subject_type = x.st AND n.subject_id = x.si
  AND n.resolved_at IS NULL
"""
_INSERT_OUTBOX = """
INSERT INTO notifications_outboundemail (recipient_id, "to", notification_id, is_digest, subject, body_text,
    body_html, status, attempts, next_attempt_at, last_error, created_at)
SELECT x.r, x.t, x.n, false, '', '', '', 'pending', 0, %s, '', %s
FROM unnest(%s::bigint[], %s::varchar[], %s::bigint[]) AS x(r, t, n)
RETURNING id
"""


def insert_notifications(values: list[tuple], *, emails: dict[int, str]):
    """The bulk path: (recipient id, kind, title, body, url[, subject type, subject id]) tuples
    -> ids, in three queries (preferences, notifications, outbox) whatever their number, one
    more when they name subjects (replacing the open ones about the same thing). Raw multi-row
    INSERTs: at 10,000 rows Django's per-object preparation would cost more than the database."""
    if not values:
        return [], None
    values = [(*v, "", None)[:7] if len(v) == 5 else tuple(v) for v in values]
    channels = channels_for((v[0], v[1]) for v in values)
    digest = [bool(emails.get(v[0])) and channels[(v[0], v[1])] == Channel.DIGEST for v in values]
    now = timezone.now()
    columns = list(zip(*values, strict=False))
    with connection.cursor() as cur:
        about = [(v[0], v[1], v[5], v[6]) for v in values if v[6] is not None]
        if about:
            cur.execute(_SUPERSEDE, [now, now, *[list(c) for c in zip(*about, strict=False)]])
        cur.execute(_INSERT_NOTIFICATIONS, [now, *[list(c) for c in columns], digest])
        ids = [row[0] for row in cur.fetchall()]
        mail = [
            (v[0], emails[v[0]], pk)
            for v, pk in zip(values, ids, strict=False)
            if emails.get(v[0]) and channels[(v[0], v[1])] == Channel.IMMEDIATE
        ]
        if mail:
            recipients, addresses, notification_ids = (list(c) for c in zip(*mail, strict=False))
            cur.execute(_INSERT_OUTBOX, [now + FIRST_ATTEMPT_GRACE, now, recipients, addresses, notification_ids])
            queue_delivery([row[0] for row in cur.fetchall()])
    return ids, now


def queue_delivery(ids: list[int]) -> None:
    """Hand the mails to Celery once the transaction committed (never before: the worker must
    see the rows, and a rolled-back decision mails nobody)."""
    transaction.on_commit(lambda: _enqueue(ids))


def _enqueue(ids: list[int]) -> None:
    from .tasks import deliver_emails

    for start in range(0, len(ids), DELIVERY_CHUNK):
        try:
            deliver_emails.apply_async(args=[ids[start : start + DELIVERY_CHUNK]], retry=False)
        except Exception:  # broker down: the retry job sends them; the page goes on
            log.warning("could not queue %d mails; the retry job will send them", len(ids) - start, exc_info=True)
            return


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


@transaction.atomic
def set_preferences(*, user, channels: dict[str, str]) -> None:
    """Save the user's mail channel per kind; a mandatory kind cannot be switched off."""
    for code, channel in channels.items():
        if channel not in Channel.values or (channel == Channel.OFF and kind_for(code).mandatory):
            raise ValueError(f"channel {channel!r} not allowed for {code}")
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind=code, channel=channel) for code, channel in channels.items()],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["channel"],
    )


def plan_reminder(
    *, recipient, kind: str, object_type: str, object_id: int, due_date, title: str, body: str = "", url: str = ""
) -> None:
    """Ask for a reminder on `due_date` (idempotent: the same key twice plans one reminder)."""
    from .models import Reminder

    Reminder.objects.bulk_create(
        [
            Reminder(
                recipient=recipient,
                kind=kind,
                object_type=object_type,
                object_id=object_id,
                due_date=due_date,
                title=title[:200],
                body=body,
                url=url,
            )
        ],
        ignore_conflicts=True,
    )


def close_reminders(*, object_type: str, object_id: int, kind: str | None = None) -> int:
    """The thing was done: its planned reminders stop (and leave the home page)."""
    from .models import Reminder

    qs = Reminder.objects.filter(object_type=object_type, object_id=object_id, done_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.update(done_at=timezone.now())
