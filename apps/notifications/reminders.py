"""Planned reminders (notifications.Reminder): a module, or the demo, says "remind this person
about this object on this date"; the scan sends it once when the date has come."""

from django.urls import reverse

from apps.core.plugins import WorkItem

from .models import Reminder
from .reminding import Due, ReminderSource, batches


class PlannedReminders(ReminderSource):
    name = "reminders.planned"

    def open_due(self, today):
        return Reminder.objects.filter(done_at__isnull=True, due_date__lte=today)

    def scan(self, today):
        fields = ("pk", "object_type", "object_id", "kind", "due_date", "recipient_id", "title", "body", "url")
        for rows in batches(self.open_due(today).values_list(*fields)):
            yield [Due(*r[1:]) for r in rows]

    def my_work(self, user, today):
        qs = self.open_due(today).filter(recipient=user)
        count = qs.count()
        items = (
            [
                WorkItem(
                    title=r.title,
                    url=r.url or reverse("notifications:list"),
                    detail=r.body[:80],
                    badge=r.due_date.strftime("%m-%d"),
                    badge_tone="warning",
                )
                for r in qs.order_by("due_date", "pk")[:5]
            ]
            if count
            else []
        )
        return count, items


SOURCES = [PlannedReminders()]
