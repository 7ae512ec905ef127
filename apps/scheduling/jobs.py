from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from .models import JobRun
from .registry import job

KEEP_DAYS = 90
KEEP_IDLE_DAYS = 7  # successful runs that found nothing to do (the every-minute mail retry)


@job("scheduling.prune_runs", _("Forget job runs and sent mail older than 90 days."), schedule="30 3 * * *")
def prune_runs(now) -> int:
    from django.db.models import Q

    from apps.notifications.models import OutboundEmail

    cutoff = now - timedelta(days=KEEP_DAYS)
    idle = Q(outcome=JobRun.Outcome.OK, items=0, started_at__lt=now - timedelta(days=KEEP_IDLE_DAYS))
    runs, _n = JobRun.objects.filter(Q(started_at__lt=cutoff) | idle).exclude(outcome=JobRun.Outcome.RUNNING).delete()
    mails, _n = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT, sent_at__lt=cutoff).delete()
    return runs + mails
