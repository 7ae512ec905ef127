"""`make bench`: the full reminder scan over the scale data, and the notifications page of the
bench user with 5,000 notifications."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import Notification, SentReminder
from .reminding import scan_all


def pages(ctx) -> list[dict]:
    staff = get_user_model().objects.get(username=ctx["bench_users"]["staff"])
    n = Notification.objects.filter(recipient=staff).count()
    url = reverse("notifications:list")
    return [
        {
            "name": f"notifications ({n})",
            "path": url,
            "role": "staff",
            "admin_peer": reverse("admin:notifications_notification_changelist") + f"?recipient__id__exact={staff.pk}",
        },
        {"name": f"notifications ({n}) unread, page 20", "path": url + "?unread=1&page=20", "role": "staff"},
        {
            "name": "notifications by kind, page 3",
            "path": url + "?kind=approvals.task&page=3",
            "role": "staff",
        },
        {"name": "bell menu", "path": reverse("notifications:dropdown"), "role": "staff"},
    ]


def jobs(ctx) -> list[dict]:
    def full_scan() -> int:
        """Every source, every open item: keys inserted, notifications and outbox rows written;
        rolled back afterwards so each run does the same work (and queues no mail)."""
        with transaction.atomic():
            SentReminder.objects.all().delete()
            sent = scan_all(timezone.now())
            transaction.set_rollback(True)
        return sent

    return [{"name": "reminder scan, all sources (everything new)", "run": full_scan}]
