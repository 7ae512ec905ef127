"""Sending notifications. Modules call notify() inside their own transaction; the row is
written with it, so a rolled-back decision notifies nobody."""

from collections.abc import Iterable

from django.utils import timezone

from .models import Notification


def notify(*, recipient, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(recipient=recipient, kind=kind, title=title, body=body, url=url)


def notify_many(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "") -> int:
    rows = [Notification(recipient=r, kind=kind, title=title, body=body, url=url) for r in recipients]
    Notification.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
