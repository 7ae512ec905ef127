"""Home page cards: my open action items; actions waiting for my acceptance; minutes I am
asked to confirm; my next meetings."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.plugins import WorkItem, WorkPanel

from .models import OPEN_ACTION_STATUSES, ActionItem, ActionStatus, Attendee, MeetingStatus


def my_work(user) -> list[WorkPanel]:
    today = timezone.localdate()
    panels = []
    mine = ActionItem.objects.filter(owner=user, status__in=OPEN_ACTION_STATUSES).order_by("due_date", "pk")
    rows = list(mine.values_list("pk", "title", "due_date")[:5])
    if rows:
        panels.append(
            WorkPanel(
                key="meetings-actions",
                title=_("My action items"),
                icon="bi-check2-square",
                items=[
                    WorkItem(
                        title=title,
                        url=reverse("meetings:action", args=[pk]),
                        detail=_("Due %(d)s") % {"d": f"{due:%Y-%m-%d}"},
                        badge=_("Overdue") if due < today else "",
                        badge_tone="danger" if due < today else "secondary",
                    )
                    for pk, title, due in rows
                ],
                count=len(rows) if len(rows) < 5 else mine.count(),
                more_url=reverse("meetings:actions") + "?scope=mine",
                order=35,
            )
        )
    waiting = ActionItem.objects.filter(meeting__organiser=user, status=ActionStatus.DONE).order_by("done_at", "pk")
    rows = list(waiting.values_list("pk", "title", "owner__display_name")[:5])
    if rows:
        panels.append(
            WorkPanel(
                key="meetings-accept",
                title=_("Action items to accept"),
                icon="bi-patch-check",
                items=[
                    WorkItem(title=title, url=reverse("meetings:action", args=[pk]), detail=owner or "")
                    for pk, title, owner in rows
                ],
                count=len(rows) if len(rows) < 5 else waiting.count(),
                more_url=reverse("meetings:actions") + "?scope=all&status=done",
                order=36,
            )
        )
    upcoming = list(
        Attendee.objects.filter(user=user, meeting__date__gte=today, meeting__status=MeetingStatus.SCHEDULED)
        .filter(Q(meeting__date__lte=today + timezone.timedelta(days=7)))
        .order_by("meeting__date", "meeting__start_time")
        .values_list("meeting_id", "meeting__title", "meeting__date", "meeting__start_time")[:5]
    )
    items = [
        WorkItem(title=title, url=reverse("meetings:meeting", args=[pk]), detail=f"{day:%Y-%m-%d} {start:%H:%M}")
        for pk, title, day, start in upcoming
    ]
    if items:
        panels.append(
            WorkPanel(
                key="meetings-next",
                title=_("My meetings this week"),
                icon="bi-calendar-event",
                items=items[:6],
                count=len(items),
                more_url=reverse("meetings:index"),
                order=37,
            )
        )
    return panels
