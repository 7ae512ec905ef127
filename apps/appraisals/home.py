"""Home page card: my own appraisal step, the reviews waiting for me, feedback asked of me."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.plugins import WorkItem, WorkPanel

from .models import Appraisal, PeerReview, Stage, Status


def my_work(user) -> list[WorkPanel]:
    items = []
    mine = (
        Appraisal.objects.filter(employee=user, is_excluded=False)
        .filter(
            Q(status=Status.SELF, cycle__stage=Stage.SELF) | Q(status=Status.PUBLISHED, cycle__stage=Stage.PUBLISHED)
        )
        .select_related("cycle")
        .order_by("-cycle__period_end")[:2]
    )
    for a in mine:
        title = (
            _("Fill in your %(code)s self-assessment")
            if a.status == Status.SELF
            else _("Read and acknowledge your %(code)s result")
        ) % {"code": a.cycle.code}
        items.append(WorkItem(title=title, url=a.get_absolute_url(), badge=a.cycle.code, badge_tone="primary"))
    to_review = (
        Appraisal.objects.filter(reviewer=user, is_excluded=False)
        .filter(
            Q(status=Status.SUBMITTED, cycle__stage__in=[Stage.SELF, Stage.REVIEW])
            | Q(status=Status.SELF, cycle__stage=Stage.REVIEW)
        )
        .exclude(employee=user)
        .count()
    )
    if to_review:
        items.append(
            WorkItem(
                title=_("%(n)d appraisals wait for your review") % {"n": to_review},
                url=reverse("appraisals:team"),
                badge=str(to_review),
                badge_tone="warning",
            )
        )
    feedback = PeerReview.objects.filter(peer=user, submitted_at=None).count()
    if feedback:
        items.append(
            WorkItem(
                title=_("%(n)d colleagues asked for your feedback") % {"n": feedback},
                url=reverse("appraisals:home"),
                badge=str(feedback),
                badge_tone="info",
            )
        )
    if not items:
        return []
    return [
        WorkPanel(
            key="appraisals",
            title=_("Appraisals"),
            icon="bi-clipboard-check",
            items=items,
            count=len(items),
            more_url=reverse("appraisals:home"),
            order=40,
        )
    ]
