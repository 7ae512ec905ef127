"""Regulations: periodic review (30 / 7 / 0 days before, to the owner — the owning department's
head; overdue: weekly to the owner and the owner's manager) and acknowledgements still open
7 days after publication (to the person) and 14 days after (to their manager, one message per
manager and version)."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_noop

from apps.core.plugins import WorkItem
from apps.notifications.occasions import latest_occasion, local_date
from apps.notifications.reminding import Due, ReminderSource, batches
from apps.policies.models import Acknowledgement, AckScope, Policy, PolicyStatus, PolicyVersion, VersionStatus
from apps.policies.selectors import ack_required_users, policies_needing_ack
from apps.scheduling.calendar import weekly_occasion

REVIEW_DAYS_BEFORE = (30, 7, 0)
ACK_REMIND_AFTER = 7
ACK_MANAGER_AFTER = 14


class PolicyReviews(ReminderSource):
    name = "policies.review"
    order = 10

    def _due(self, today):
        return Policy.objects.filter(
            status=PolicyStatus.PUBLISHED,
            next_review_date__isnull=False,
            next_review_date__lte=today + timedelta(days=max(REVIEW_DAYS_BEFORE)),
            owning_department__head__isnull=False,
        )

    def scan(self, today):
        fields = (
            "pk",
            "code",
            "title",
            "next_review_date",
            "owning_department__head_id",
            "owning_department__head__manager_id",
        )
        for rows in batches(self._due(today).values_list(*fields)):
            dues = []
            for pk, code, title, review, owner, boss in rows:
                url = reverse("policies:detail", args=[code])
                params = {"title": title, "date": review.isoformat()}
                if review >= today:
                    occasion = latest_occasion(review, REVIEW_DAYS_BEFORE, today)
                    if occasion:
                        dues.append(
                            Due(
                                "policies.policy",
                                pk,
                                "policies.review_due",
                                occasion,
                                owner,
                                gettext_noop("Review of “%(title)s” is due on %(date)s"),
                                gettext_noop("Please review the regulation and record the outcome."),
                                url,
                                params,
                            )
                        )
                    continue
                occasion = weekly_occasion(review, today)
                for recipient in {owner, boss} - {None}:
                    dues.append(
                        Due(
                            "policies.policy",
                            pk,
                            "policies.review_overdue",
                            occasion,
                            recipient,
                            gettext_noop("Review of “%(title)s” is overdue (due %(date)s)"),
                            gettext_noop("The periodic review has not been recorded yet."),
                            url,
                            params,
                        )
                    )
            yield dues

    def my_work(self, user, today):
        qs = self._due(today).filter(owning_department__head=user).order_by("next_review_date")
        rows = list(qs.values_list("code", "title", "next_review_date")[:5])
        count = len(rows) if len(rows) < 5 else qs.count()
        return count, [
            WorkItem(
                title=title,
                url=reverse("policies:detail", args=[code]),
                badge=review.isoformat(),
                badge_tone="danger" if review < today else "warning",
            )
            for code, title, review in rows
        ]


class PolicyAcknowledgements(ReminderSource):
    name = "policies.acknowledgement"
    order = 11

    def _versions(self, today):
        return (
            PolicyVersion.objects.filter(
                status=VersionStatus.PUBLISHED, published_at__isnull=False, current_of__isnull=False
            )
            .exclude(ack_scope=AckScope.NONE)
            .select_related("policy")
        )

    def scan(self, today):
        for version in self._versions(today):
            published = local_date(version.published_at)
            remind_on = published + timedelta(days=ACK_REMIND_AFTER)
            tell_manager_on = published + timedelta(days=ACK_MANAGER_AFTER)
            if today < remind_on:
                continue
            done = Acknowledgement.objects.filter(version=version, user=OuterRef("pk"))
            missing = ack_required_users(version).exclude(Exists(done))
            url = version.policy.get_absolute_url()
            params = {"title": version.policy.title, "days": ACK_REMIND_AFTER}
            for rows in batches(missing.values_list("pk")):
                yield [
                    Due(
                        "policies.version",
                        version.pk,
                        "policies.ack_reminder",
                        remind_on,
                        pk,
                        gettext_noop("Please acknowledge “%(title)s”"),
                        gettext_noop("It was published %(days)s days ago and you have not confirmed reading it yet."),
                        url,
                        params,
                    )
                    for (pk,) in rows
                ]
            if today >= tell_manager_on:
                per_manager = list(
                    missing.filter(manager__isnull=False)
                    .values("manager_id")
                    .annotate(n=Count("pk"))
                    .order_by("manager_id")
                    .values_list("manager_id", "n")
                )
                for start in range(0, len(per_manager), 2000):
                    rows = per_manager[start : start + 2000]
                    yield [
                        Due(
                            "policies.version",
                            version.pk,
                            "policies.ack_overdue_report",
                            tell_manager_on,
                            boss,
                            gettext_noop("%(n)s of your reports have not acknowledged “%(title)s”"),
                            gettext_noop("It was published %(days)s days ago. The acknowledgement report shows who."),
                            reverse("policies:ack_report", args=[version.policy.code, version.label]),
                            {"title": version.policy.title, "n": n, "days": ACK_MANAGER_AFTER},
                        )
                        for boss, n in rows
                    ]

    def my_work(self, user, today):
        cutoff = today - timedelta(days=ACK_REMIND_AFTER)
        qs = policies_needing_ack(user).filter(current_version__published_at__date__lte=cutoff)
        rows = list(qs.select_related("current_version").order_by("current_version__published_at")[:5])
        count = len(rows) if len(rows) < 5 else qs.count()
        return count, [
            WorkItem(
                title=p.title,
                url=p.get_absolute_url(),
                detail=p.code,
                badge=local_date(p.current_version.published_at).isoformat(),
                badge_tone="warning",
            )
            for p in rows
        ]


SOURCES = [PolicyReviews(), PolicyAcknowledgements()]
