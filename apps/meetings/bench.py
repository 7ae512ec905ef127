"""`make bench` pages for meetings, picked on the scale data (apps/meetings/scale.py)."""

from django.db.models import Count
from django.urls import reverse

from .models import ActionItem, Meeting
from .scale import BIG_TITLE


def pages(ctx) -> list[dict]:
    out = []
    busiest = ActionItem.objects.values("department_id").annotate(n=Count("pk")).order_by("-n").first()
    if busiest:
        out += [
            {
                "name": f"meeting action list, my department ({busiest['n']} actions)",
                "path": reverse("meetings:actions") + "?scope=department",
                "role": "manager",
                "admin_peer": reverse("admin:meetings_actionitem_changelist"),
            },
            {
                "name": "meeting action list, overdue, page 3",
                "path": reverse("meetings:actions") + "?scope=overdue&page=3",
                "role": "manager",
            },
        ]
    big = Meeting.objects.filter(title=BIG_TITLE).first()
    if big:
        out.append(
            {
                "name": "meeting page (40 agenda items, 60 attendees)",
                "path": reverse("meetings:meeting", args=[big.pk]),
                "role": "manager",
                "admin_peer": reverse("admin:meetings_meeting_change", args=[big.pk]),
            }
        )
    return out


def jobs(ctx) -> list[dict]:
    def overdue_scan() -> int:
        from django.utils import timezone

        from .reminders import OverdueActions

        return sum(len(batch) for batch in OverdueActions().scan(timezone.localdate()))

    return [{"name": "meetings overdue-action scan (no sending)", "run": overdue_scan}]
