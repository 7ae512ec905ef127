"""Reminders: sources say what is due; the engine sends each (object, kind, due date,
recipient) once.

A source (`ReminderSource`) scans its open items in batches and yields `Due` rows. The engine
inserts their keys into SentReminder with ON CONFLICT DO NOTHING ... RETURNING, and notifies
only for the keys that were new. So a job run twice, or two runs at once, sends nothing twice,
and a run after a missed week sends what is due now, once. Per batch the engine costs a
constant number of queries (key insert, recipients, preferences, notifications, outbox).

Each app declares its sources in its own `reminders.py` plug-in (see apps/core/plugins.py):
`SOURCES = [MySource(), ...]`, found on first use; the engine's own is apps/notifications/
reminders.py (planned reminders). The one job `reminders.scan` runs them all.
`register_source()` adds one from code (tests).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from itertools import groupby

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext

from apps.core.plugins import app_modules

from .services import insert_notifications

BATCH_SIZE = 2000


@dataclass(frozen=True, slots=True)
class Due:
    object_type: str  # "policies.policy"
    object_id: int
    kind: str  # the notification kind, "policies.review_due"
    due_date: date  # the occasion (review date, escalation day, week of an overdue item)
    recipient_id: int
    title: str
    body: str = ""
    url: str = ""
    # With params, title and body are msgids (gettext_noop) filled in the recipient's language.
    params: dict | None = None

    @property
    def key(self) -> tuple:
        return (self.object_type, self.object_id, self.kind, self.due_date, self.recipient_id)


class ReminderSource:
    name = ""  # "policies.review"
    order = 50  # scan order, and order of the items on the home page

    def scan(self, today: date) -> Iterator[list[Due]]:
        raise NotImplementedError

    def my_work(self, user, today: date) -> tuple[int, list]:
        """What this source reminds `user` about right now: (count, the first few as
        apps.core.plugins.WorkItem). Same selection as scan(), so the home page and the mail
        agree. Keep it to 1-2 queries."""
        return 0, []


_sources: dict[str, ReminderSource] = {}


def register_source(source: ReminderSource) -> ReminderSource:
    _sources[source.name] = source
    return source


@cache
def _declared() -> dict[str, ReminderSource]:
    # A module may also call register_source() when its reminders.py is imported here.
    return {s.name: s for module in app_modules("reminders") for s in getattr(module, "SOURCES", [])}


def all_sources() -> list[ReminderSource]:
    declared = _declared()
    return sorted({**declared, **_sources}.values(), key=lambda s: (s.order, s.name))


def batches(queryset, size: int | None = None) -> Iterator[list]:
    """Keyset pagination by primary key: one query per batch, however deep. Works on model
    querysets and on values_list() ones whose first column is the primary key."""
    size = size or BATCH_SIZE
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page.order_by("pk")[:size])
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = rows[-1][0] if isinstance(rows[-1], tuple) else rows[-1].pk


_INSERT_KEYS = """
INSERT INTO notifications_sentreminder (object_type, object_id, kind, due_date, recipient_id, sent_at)
SELECT k.object_type, k.object_id, k.kind, k.due_date, k.recipient_id, %s
FROM unnest(%s::varchar[], %s::bigint[], %s::varchar[], %s::date[], %s::bigint[])
     AS k(object_type, object_id, kind, due_date, recipient_id)
ON CONFLICT DO NOTHING
RETURNING object_type, object_id, kind, due_date, recipient_id
"""


def claim(dues: Iterable[Due], now: datetime) -> list[Due]:
    """Insert the keys; return the dues whose key was new (one query)."""
    unique = {d.key: d for d in dues}
    if not unique:
        return []
    columns = list(zip(*unique.keys(), strict=False))
    with connection.cursor() as cur:
        cur.execute(_INSERT_KEYS, [now, *[list(c) for c in columns]])
        return [unique[tuple(row)] for row in cur.fetchall()]


def send_due(dues: Iterable[Due], now: datetime | None = None) -> int:
    """Send each due reminder not sent before. Call inside a transaction (the job runner's)."""
    now = now or timezone.now()
    dues = [d for d in dues if d.recipient_id is not None]
    if not dues:
        return 0
    users = {
        u.pk: u
        for u in get_user_model()
        .objects.filter(pk__in={d.recipient_id for d in dues})
        .only("id", "email", "is_active", "preferred_language")
    }
    new = claim((d for d in dues if d.recipient_id in users), now)  # a vanished person is skipped
    if not new:
        return 0
    values = []
    by_language = sorted(new, key=lambda d: users[d.recipient_id].preferred_language or "zh-hans")
    for language, group in groupby(by_language, key=lambda d: users[d.recipient_id].preferred_language or "zh-hans"):
        with translation.override(language):
            for d in group:
                title, body = d.title, d.body
                if d.params is not None:
                    title = gettext(title) % d.params
                    body = gettext(body) % d.params if body else ""
                # The reminder's object is the notification's subject: a newer reminder about it
                # replaces the open one, and the module resolves it when the thing is done.
                values.append((d.recipient_id, d.kind, title[:200], body, d.url[:500], d.object_type, d.object_id))
    insert_notifications(values, emails={u.pk: (u.email if u.is_active else "") for u in users.values()})
    return len(values)


def scan_all(now: datetime, *, only: str | None = None) -> int:
    today = timezone.localdate(now)
    sent = 0
    for source in all_sources():
        if only and source.name != only:
            continue
        for batch in source.scan(today):
            sent += send_due(batch, now)
    return sent
