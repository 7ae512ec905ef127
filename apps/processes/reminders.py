"""Processes: periodic process reviews (7 days before and on the day, then weekly, to the process owner);
improvement actions past their due date (weekly, to their owner). Uses the selectors the
processes module exposes for this (apps.processes.selectors). Approvals waiting too long are
the approvals engine's (reminder, then escalation: apps/approvals/escalation.py)."""

from django.urls import reverse
from django.utils.translation import gettext_noop

from apps.core.plugins import WorkItem
from apps.notifications.occasions import latest_occasion
from apps.notifications.reminding import Due, ReminderSource, batches
from apps.processes.selectors import actions_overdue, reviews_due
from apps.scheduling.calendar import weekly_occasion

REVIEW_DAYS_BEFORE = (7, 0)


class ProcessReviews(ReminderSource):
    name = "processes.reviews"
    order = 21

    def scan(self, today):
        qs = reviews_due(today=today, within_days=max(REVIEW_DAYS_BEFORE)).filter(owner__isnull=False)
        for rows in batches(qs.values_list("pk", "code", "name", "next_review_date", "owner_id")):
            dues = []
            for pk, code, name, review, owner in rows:
                occasion = latest_occasion(review, REVIEW_DAYS_BEFORE, today) or weekly_occasion(review, today)
                # A date already passed is said to be overdue, never "due on".
                title = (
                    gettext_noop("Process review due on %(date)s: %(name)s")
                    if review >= today
                    else gettext_noop("Process review overdue since %(date)s: %(name)s")
                )
                dues.append(
                    Due(
                        "processes.process",
                        pk,
                        "processes.review_due",
                        occasion,
                        owner,
                        title,
                        gettext_noop("Please review the process and record the findings."),
                        reverse("processes:detail", args=[code]),
                        {"name": name, "date": review.isoformat()},
                    )
                )
            yield dues

    def my_work(self, user, today):
        qs = reviews_due(today=today, within_days=max(REVIEW_DAYS_BEFORE)).filter(owner=user)
        rows = list(qs.values_list("code", "name", "next_review_date")[:5])
        count = len(rows) if len(rows) < 5 else qs.count()
        return count, [
            WorkItem(
                title=name,
                url=reverse("processes:detail", args=[code]),
                badge=review.isoformat(),
                badge_tone="danger" if review < today else "warning",
            )
            for code, name, review in rows
        ]


class ImprovementActions(ReminderSource):
    name = "processes.actions"
    order = 22

    def scan(self, today):
        qs = actions_overdue(today=today)
        for rows in batches(qs.values_list("pk", "description", "due_date", "owner_id", "review__process__code")):
            yield [
                Due(
                    "processes.improvementaction",
                    pk,
                    "processes.action_overdue",
                    weekly_occasion(due, today),
                    owner,
                    gettext_noop("Improvement action overdue: %(action)s"),
                    gettext_noop("It was due on %(date)s."),
                    reverse("processes:detail", args=[code]),
                    {"action": description, "date": due.isoformat()},
                )
                for pk, description, due, owner, code in rows
            ]

    def my_work(self, user, today):
        qs = actions_overdue(today=today).filter(owner=user)
        rows = list(qs.values_list("description", "due_date", "review__process__code")[:5])
        count = len(rows) if len(rows) < 5 else qs.count()
        return count, [
            WorkItem(title=d, url=reverse("processes:detail", args=[code]), badge=due.isoformat(), badge_tone="danger")
            for d, due, code in rows
        ]


SOURCES = [ProcessReviews(), ImprovementActions()]
