"""Overdue action items: the owner on the first working day after the due date, the owner's
manager once it is ESCALATE_AFTER working days overdue. The key's date is the due date, so
each person hears once per due date (a new due date after a reopen is a new occasion)."""

from django.urls import reverse
from django.utils.translation import gettext_noop

from apps.core.plugins import WorkItem
from apps.notifications.reminding import Due, ReminderSource, batches
from apps.scheduling.calendar import add_working_days

from . import notices
from .models import OPEN_ACTION_STATUSES, ActionItem

ESCALATE_AFTER = 3  # working days overdue before the manager hears


def overdue_actions(today):
    return ActionItem.objects.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)


class OverdueActions(ReminderSource):
    name = "meetings.actions"
    order = 40

    def scan(self, today):
        fields = ("pk", "title", "due_date", "owner_id", "owner__manager_id", "meeting__title")
        reach: dict = {}  # due date -> (owner reminded?, manager reminded?)
        for rows in batches(overdue_actions(today).values_list(*fields)):
            dues = []
            for pk, title, due, owner, boss, meeting in rows:
                if due not in reach:
                    reach[due] = (
                        add_working_days(due, 1) <= today,
                        add_working_days(due, ESCALATE_AFTER) <= today,
                    )
                to_owner, to_boss = reach[due]
                params = {"title": title, "due": f"{due:%Y-%m-%d}", "meeting": meeting}
                url = reverse("meetings:action", args=[pk])
                if to_owner:
                    dues.append(
                        Due(
                            "meetings.action",
                            pk,
                            notices.ACTION_OVERDUE,
                            due,
                            owner,
                            gettext_noop("Action item overdue: %(title)s (due %(due)s)"),
                            gettext_noop("From the meeting “%(meeting)s”. Update its progress or close it."),
                            url,
                            params,
                        )
                    )
                if to_boss and boss:
                    dues.append(
                        Due(
                            "meetings.action",
                            pk,
                            notices.ACTION_OVERDUE_MANAGER,
                            due,
                            boss,
                            gettext_noop("Overdue in your team: %(title)s (due %(due)s)"),
                            gettext_noop("From the meeting “%(meeting)s”."),
                            url,
                            params,
                        )
                    )
            yield dues

    def my_work(self, user, today):
        qs = overdue_actions(today).filter(owner=user)
        rows = list(qs.values_list("pk", "title", "due_date")[:5])
        count = len(rows) if len(rows) < 5 else qs.count()
        return count, [
            WorkItem(
                title=title,
                url=reverse("meetings:action", args=[pk]),
                badge=due.isoformat(),
                badge_tone="danger",
            )
            for pk, title, due in rows
        ]


SOURCES = [OverdueActions()]
