"""Processes: approvals waiting more than 3 working days (to the approver, or the operations
pool when the stage has no single approver) and more than 5 (to the approver's manager);
periodic process reviews (7 days before and on the day, then weekly, to the process owner);
improvement actions past their due date (weekly, to their owner). Uses the selectors the
processes module exposes for this (apps.processes.selectors)."""

from django.urls import reverse
from django.utils.translation import gettext_noop

from apps.core.plugins import WorkItem
from apps.notifications.occasions import latest_occasion, local_date
from apps.notifications.reminding import Due, ReminderSource, batches
from apps.processes.selectors import actions_overdue, approvals_overdue, ops_users, reviews_due
from apps.scheduling.calendar import weekly_occasion

REMIND_AFTER_WORKING_DAYS = 3
ESCALATE_AFTER_WORKING_DAYS = 5
REVIEW_DAYS_BEFORE = (7, 0)


def _request_url(pk: int) -> str:
    return reverse("processes:cr_detail", args=[pk])


class ProcessApprovals(ReminderSource):
    """The key's date is the day the request entered its stage: one reminder (and one
    escalation) per stage, however often the scan runs."""

    name = "processes.approvals"
    order = 20
    fields = ("pk", "title", "stage_entered_at", "assignee_id", "assignee__manager_id")

    def scan(self, today):
        pooled_count, pooled_latest = 0, None
        for rows in batches(
            approvals_overdue(today=today, working_days=REMIND_AFTER_WORKING_DAYS).values_list(*self.fields)
        ):
            dues = []
            for pk, title, entered, assignee, _boss in rows:
                if assignee is None:  # the operations pool decides: one summary per person below
                    pooled_count += 1
                    pooled_latest = max(pooled_latest or entered, entered)
                    continue
                dues.append(
                    Due(
                        "processes.changerequest",
                        pk,
                        "processes.approval_waiting",
                        local_date(entered),
                        assignee,
                        gettext_noop("Waiting for your decision: %(title)s"),
                        gettext_noop("This change request has waited more than %(days)s working days."),
                        _request_url(pk),
                        {"title": title, "days": REMIND_AFTER_WORKING_DAYS},
                    )
                )
            yield dues
        if pooled_count:
            # Keyed by the newest overdue entry: a new request becoming overdue sends a new summary.
            yield [
                Due(
                    "processes.opspool",
                    0,
                    "processes.approval_waiting",
                    local_date(pooled_latest),
                    ops,
                    gettext_noop("%(n)s change requests wait for operations management's decision"),
                    gettext_noop("They have waited more than %(days)s working days."),
                    reverse("processes:inbox"),
                    {"n": pooled_count, "days": REMIND_AFTER_WORKING_DAYS},
                )
                for ops in ops_users().values_list("pk", flat=True)
            ]
        for rows in batches(
            approvals_overdue(today=today, working_days=ESCALATE_AFTER_WORKING_DAYS)
            .filter(assignee__manager__isnull=False)
            .values_list(*self.fields)
        ):
            yield [
                Due(
                    "processes.changerequest",
                    pk,
                    "processes.approval_escalated",
                    local_date(entered),
                    boss,
                    gettext_noop("Approval delayed in your team: %(title)s"),
                    gettext_noop("This change request has waited more than %(days)s working days for a decision."),
                    _request_url(pk),
                    {"title": title, "days": ESCALATE_AFTER_WORKING_DAYS},
                )
                for pk, title, entered, _assignee, boss in rows
            ]

    def my_work(self, user, today):
        qs = approvals_overdue(today=today, working_days=REMIND_AFTER_WORKING_DAYS).filter(assignee=user)
        rows = list(qs.values_list("pk", "title", "stage_entered_at")[:5])
        count = len(rows) if len(rows) < 5 else qs.count()
        return count, [
            WorkItem(title=title, url=_request_url(pk), badge=local_date(entered).isoformat(), badge_tone="danger")
            for pk, title, entered in rows
        ]


class ProcessReviews(ReminderSource):
    name = "processes.reviews"
    order = 21

    def scan(self, today):
        qs = reviews_due(today=today, within_days=max(REVIEW_DAYS_BEFORE)).filter(owner__isnull=False)
        for rows in batches(qs.values_list("pk", "code", "name", "next_review_date", "owner_id")):
            dues = []
            for pk, code, name, review, owner in rows:
                occasion = latest_occasion(review, REVIEW_DAYS_BEFORE, today) or weekly_occasion(review, today)
                dues.append(
                    Due(
                        "processes.process",
                        pk,
                        "processes.review_due",
                        occasion,
                        owner,
                        gettext_noop("Process review due on %(date)s: %(name)s"),
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


SOURCES = [ProcessApprovals(), ProcessReviews(), ImprovementActions()]
