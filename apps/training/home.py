"""Home page card: my next training sessions and open development actions."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.plugins import WorkItem, WorkPanel

from .models import Attendance, DevelopmentAction, DevelopmentPlan, Enrollment, Session


def my_work(user) -> list[WorkPanel]:
    sessions = list(
        Enrollment.objects.filter(
            person=user,
            status=Attendance.ENROLLED,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gte=timezone.now(),
        )
        .select_related("session__course")
        .order_by("session__starts_at")[:5]
    )
    actions = list(
        DevelopmentAction.objects.filter(
            plan__person=user, plan__status=DevelopmentPlan.Status.OPEN, done_at__isnull=True
        )
        .select_related("plan")
        .order_by("due_date")[:5]
    )
    today = timezone.localdate()
    items = [
        WorkItem(
            title=e.session.course.title,
            url=e.session.get_absolute_url(),
            detail=timezone.localtime(e.session.starts_at).strftime("%Y-%m-%d %H:%M"),
            badge=_("session"),
            badge_tone="primary",
        )
        for e in sessions
    ] + [
        WorkItem(
            title=a.title,
            url=a.plan.get_absolute_url(),
            detail=_("Development plan"),
            badge=a.due_date.strftime("%m-%d"),
            badge_tone="danger" if a.due_date < today else "secondary",
        )
        for a in actions
    ]
    if not items:
        return []
    return [
        WorkPanel(
            key="training",
            title=_("Training"),
            icon="bi-mortarboard",
            items=items[:5],
            count=len(items),
            more_url=reverse("training:record", args=[user.username]),
            order=75,
        )
    ]
