"""Reminders of the risk register (sent once per key by the notifications engine):
an open measure past its due date reminds its owner, and after ESCALATE_AFTER working days
whoever answers for the risk (its owner, else the head of its department: people who may see
the risk and update the measure, unlike the measure owner's own manager, to whom a risk of
another department may not even be visible); a risk whose review date has come reminds its
owner (or the head)."""

from django.urls import reverse
from django.utils.translation import gettext_noop

from apps.notifications.reminding import Due, ReminderSource, batches
from apps.scheduling.calendar import add_working_days

from . import notification_kinds as kinds
from .models import Measure, Risk

ESCALATE_AFTER = 3  # working days past the due date


class OverdueMeasures(ReminderSource):
    name = "risks.measures"
    order = 60

    def open_overdue(self, today):
        return Measure.objects.filter(status__in=Measure.OPEN_STATUSES, due_date__lt=today)

    def scan(self, today):
        fields = ("pk", "title", "due_date", "owner_id", "risk__owner_id", "risk__department__head_id", "risk__code")
        for rows in batches(self.open_overdue(today).values_list(*fields)):
            dues = []
            for pk, title, due, owner, risk_owner, head, code in rows:
                boss = next((p for p in (risk_owner, head) if p and p != owner), None)
                url = reverse("risks:measure_update", args=[code, pk])
                params = {"title": title, "code": code, "due": due.isoformat()}
                dues.append(
                    Due(
                        "risks.measure",
                        pk,
                        kinds.MEASURE_OVERDUE,
                        due,
                        owner,
                        gettext_noop("Risk measure overdue: %(title)s"),
                        gettext_noop("For the risk %(code)s, due %(due)s."),
                        url,
                        params,
                    )
                )
                if boss and add_working_days(due, ESCALATE_AFTER) <= today:
                    dues.append(
                        Due(
                            "risks.measure",
                            pk,
                            kinds.MEASURE_ESCALATED,
                            due,
                            boss,
                            gettext_noop("Overdue measure on a risk you answer for: %(title)s"),
                            gettext_noop("For the risk %(code)s, due %(due)s."),
                            url,
                            params,
                        )
                    )
            yield dues

    def my_work(self, user, today):
        return 0, []  # the home page lists every open measure (home.py), overdue ones in red


class ReviewsDue(ReminderSource):
    name = "risks.reviews"
    order = 61

    def scan(self, today):
        qs = Risk.objects.filter(status=Risk.Status.OPEN, review_date__lte=today).values_list(
            "pk", "code", "title", "review_date", "owner_id", "department__head_id"
        )
        for rows in batches(qs):
            yield [
                Due(
                    "risks.risk",
                    pk,
                    kinds.REVIEW_DUE,
                    review_date,
                    owner or head,
                    gettext_noop("Risk review due: %(code)s %(title)s"),
                    gettext_noop("The review date was %(due)s."),
                    reverse("risks:review", args=[code]),
                    {"code": code, "title": title, "due": review_date.isoformat()},
                )
                for pk, code, title, review_date, owner, head in rows
                if owner or head
            ]


SOURCES = [OverdueMeasures(), ReviewsDue()]
