"""Appraisals: stage deadlines approaching (3 days and 1 day before) to whoever has not done
their part — the employee during self-assessment, the reviewer during manager review (one
message per reviewer with the number waiting). Opening the previous quarter's cycle and
moving stages on at the deadline are the appraisal module's own idempotent services, run as
scheduled jobs (apps/appraisals/jobs.py)."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_noop

from apps.appraisals.models import Appraisal, Cycle, Stage, Status
from apps.core.plugins import WorkItem
from apps.notifications.occasions import latest_occasion
from apps.notifications.reminding import Due, ReminderSource, batches

DAYS_BEFORE = (3, 1)
REVIEW_PENDING = (Status.SELF, Status.SUBMITTED)


class StageDeadlines(ReminderSource):
    name = "appraisals.deadlines"
    order = 40

    def scan(self, today):
        for cycle in Cycle.objects.filter(stage__in=[Stage.SELF, Stage.REVIEW]).order_by("pk"):
            deadline = cycle.self_deadline if cycle.stage == Stage.SELF else cycle.review_deadline
            occasion = latest_occasion(deadline, DAYS_BEFORE, today)
            if occasion is None:
                continue
            params = {"code": cycle.code, "date": deadline.isoformat(), "days": (deadline - today).days}
            open_ = Appraisal.objects.filter(cycle=cycle, is_excluded=False)
            if cycle.stage == Stage.SELF:
                for rows in batches(open_.filter(status=Status.SELF).values_list("pk", "employee_id")):
                    yield [
                        Due(
                            "appraisals.cycle",
                            cycle.pk,
                            "appraisals.stage_deadline",
                            occasion,
                            employee,
                            gettext_noop("Your %(code)s self-assessment is due on %(date)s"),
                            gettext_noop("%(days)s days left. Please fill it in and submit it."),
                            reverse("appraisals:self", args=[pk]),
                            params,
                        )
                        for pk, employee in rows
                    ]
            else:
                per_reviewer = list(
                    open_.filter(status__in=REVIEW_PENDING, reviewer__isnull=False)
                    .values("reviewer_id")
                    .annotate(n=Count("pk"))
                    .order_by("reviewer_id")
                    .values_list("reviewer_id", "n")
                )
                for start in range(0, len(per_reviewer), 2000):
                    yield [
                        Due(
                            "appraisals.cycle",
                            cycle.pk,
                            "appraisals.stage_deadline",
                            occasion,
                            reviewer,
                            gettext_noop("%(n)s %(code)s reviews are due on %(date)s"),
                            gettext_noop("%(days)s days left to review your team's appraisals."),
                            reverse("appraisals:team"),
                            {**params, "n": n},
                        )
                        for reviewer, n in per_reviewer[start : start + 2000]
                    ]

    def my_work(self, user, today):
        items = []
        for a in Appraisal.objects.filter(
            employee=user, is_excluded=False, status=Status.SELF, cycle__stage=Stage.SELF
        ).select_related("cycle"):
            if latest_occasion(a.cycle.self_deadline, DAYS_BEFORE, today):
                items.append(
                    WorkItem(
                        title=a.cycle.code,
                        url=reverse("appraisals:self", args=[a.pk]),
                        badge=a.cycle.self_deadline.isoformat(),
                        badge_tone="danger",
                    )
                )
        waiting = (
            Appraisal.objects.filter(
                reviewer=user, is_excluded=False, status__in=REVIEW_PENDING, cycle__stage=Stage.REVIEW
            )
            .values("cycle__code", "cycle__review_deadline")
            .annotate(n=Count("pk"))
        )
        for row in waiting:
            if latest_occasion(row["cycle__review_deadline"], DAYS_BEFORE, today):
                items.append(
                    WorkItem(
                        title=f"{row['cycle__code']} × {row['n']}",
                        url=reverse("appraisals:team"),
                        badge=row["cycle__review_deadline"].isoformat(),
                        badge_tone="danger",
                    )
                )
        return len(items), items


SOURCES = [StageDeadlines()]
